package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Open-loop load: requests start at scheduled instants whatever the responses, as real users
 * arrive. Every instant is computed from the trial start, so delays never accumulate; a request
 * that starts late shows its delay in TTFT and in the dispatch-lag histogram.
 *
 * <p>Each value of {@link #rate()} is one trial (trial parameter {@code rate}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OpenLoop {
    /** How start instants are spaced. Default {@link Arrival#POISSON}. */
    Arrival arrival() default Arrival.POISSON;

    /**
     * Arrival rates in requests per second, one trial each. Each must be finite, {@code > 0} and at
     * most {@link Limits#MAX_RATE} (1,000,000); at least one value, none twice. Scaled at run time by
     * {@code -Dllmh.rateScale}, within the same bound.
     */
    double[] rate();

    /**
     * Cap on requests in flight; {@code 0} (the default) means no cap. When the cap is reached, the
     * next request waits for a slot; the wait counts in its TTFT and dispatch lag, and the request
     * is counted as a delayed start. In {@code [0, 100000]} ({@link Limits#MAX_CONCURRENCY}).
     */
    int maxInFlight() default 0;

    /**
     * Gamma shape of POISSON gaps (vLLM's {@code --burstiness}): 1 (the default) is Poisson, below 1
     * burstier (clustered arrivals, gap coefficient of variation {@code 1/√burstiness}), above 1
     * more even; in {@code [0.01, 1000]} ({@link Limits#MIN_BURSTINESS}, {@link
     * Limits#MAX_BURSTINESS}). Must stay 1 with CONSTANT arrivals.
     */
    double burstiness() default 1.0;
}
