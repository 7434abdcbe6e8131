package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Open-loop load whose rate follows stages, piecewise linearly, as k6's ramping arrival rate: from
 * {@link #startRate()}, each {@link Stage} goes to its rate over its duration. One trial
 * (parameter {@code load=stages}), measured to the last stage's end.
 *
 * <pre>{@code
 * @Stages(startRate = 0, value = {
 *     @Stage(duration = "30s", rate = 20),    // ramp up
 *     @Stage(duration = "2m", rate = 20),     // hold
 *     @Stage(duration = "30s", rate = 0)})    // ramp down
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Stages {
    /**
     * The stages, in order; at least one, together longer than 0s, sending something (not every
     * rate 0), and not all at {@link #startRate()} (that is a constant rate, written {@link Soak}).
     * A {@code "0s"} stage to the rate already reached does nothing and is warned about.
     */
    Stage[] value();

    /** Requests per second at the start, in {@code [0, 1000000]} ({@link Limits#MAX_RATE}). Default 0. */
    double startRate() default 0;

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
