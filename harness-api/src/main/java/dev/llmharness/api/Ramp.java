package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Open-loop load whose rate goes linearly from {@link #from()} to {@link #to()} over {@link
 * #duration()}, then ends: one trial (parameter {@code load=ramp}), measured to the ramp's end
 * (after the warmup, which takes the ramp's first part). Scaled by {@code --rate-scale}.
 *
 * <pre>{@code @Ramp(from = 1, to = 50, duration = "2m")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Ramp {
    /** Requests per second at the start, in {@code [0, 1000000]} ({@link Limits#MAX_RATE}). Default 0. */
    double from() default 0;

    /**
     * Requests per second at the end, in {@code [0, 1000000]} ({@link Limits#MAX_RATE}), other than
     * {@link #from()}: a ramp that stays level is a constant rate, written {@link Soak} or {@link
     * OpenLoop}.
     */
    double to();

    /** How long the ramp lasts, a duration string ({@link DurationText}) longer than 0s, at most {@link Limits#MAX_DURATION} (168h). */
    String duration();

    /** How instants are spaced around the intended rate. Default {@link Arrival#POISSON}. */
    Arrival arrival() default Arrival.POISSON;

    /**
     * Gamma shape of POISSON gaps (vLLM's {@code --burstiness}): 1 (the default) is Poisson, below 1
     * burstier, above 1 more even; in {@code [0.01, 1000]} ({@link Limits#MIN_BURSTINESS}, {@link
     * Limits#MAX_BURSTINESS}). Must stay 1 with CONSTANT arrivals.
     */
    double burstiness() default 1.0;

    /**
     * Cap on requests in flight, {@code 0} (the default) for none, else at most {@link
     * Limits#MAX_CONCURRENCY}; see {@link OpenLoop#maxInFlight()}.
     */
    int maxInFlight() default 0;
}
