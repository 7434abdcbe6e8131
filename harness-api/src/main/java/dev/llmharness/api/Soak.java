package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A soak test: one constant rate for a long time, to show slow leaks, fragmentation or throttling
 * that a short trial hides. One trial (parameter {@code load=soak}), measured for {@link
 * #duration()} after the warmup (the warmup is part of the duration).
 *
 * <pre>{@code @Soak(rate = 20, duration = "1h")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Soak {
    /** Requests per second, {@code > 0} and at most 1000000 ({@link Limits#MAX_RATE}). */
    double rate();

    /**
     * How long the soak lasts, warmup included, a duration string longer than the warmup and at most {@link Limits#MAX_DURATION} (168h).
     */
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
