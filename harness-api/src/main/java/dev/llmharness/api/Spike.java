package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A spike test: {@link #base()} for {@link #before()}, a rise to {@link #peak()} over {@link
 * #rise()} ({@code "0s"} jumps), the peak for {@link #hold()}, a fall back over {@link #fall()},
 * then the base for {@link #after()}. One trial (parameter {@code load=spike}), measured to the
 * end: read its timeline to see how latency recovers.
 *
 * <pre>{@code @Spike(base = 10, peak = 100, before = "30s", hold = "20s", after = "60s")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Spike {
    /**
     * The rate before and after the spike, requests per second, in {@code [0, 1000000]} ({@link
     * Limits#MAX_RATE}).
     */
    double base();

    /** The rate at the top of the spike, requests per second, above {@link #base()} and at most 1000000. */
    double peak();

    /** Time at the base rate before the spike, a duration string, {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h). */
    String before();

    /** The rise from base to peak, at most {@link Limits#MAX_DURATION} (168h); {@code "0s"} (the default) jumps. */
    String rise() default "0s";

    /** Time at the peak, a duration string longer than 0s, at most {@link Limits#MAX_DURATION} (168h). */
    String hold();

    /** The fall from peak to base, at most {@link Limits#MAX_DURATION} (168h); {@code "0s"} (the default) drops at once. */
    String fall() default "0s";

    /** Time at the base rate after the spike, a duration string, {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h). */
    String after();

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
