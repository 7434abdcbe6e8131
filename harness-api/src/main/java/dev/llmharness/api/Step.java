package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A step test, as Gatling's {@code incrementUsersPerSec(increment).times(levels)
 * .eachLevelLasting(levelDuration).separatedByRampsLasting(rampDuration).startingFrom(start)}:
 * level {@code k} (from 0) holds {@code start + k * increment} requests per second for {@link
 * #levelDuration()}, consecutive levels joined by linear ramps of {@link #rampDuration()}. One
 * trial (parameter {@code load=step}), measured to the last level's end.
 *
 * <pre>{@code @Step(start = 10, increment = 10, levels = 5, levelDuration = "1m", rampDuration = "10s")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Step {
    /** The first level's rate, requests per second, in {@code [0, 1000000]} ({@link Limits#MAX_RATE}). */
    double start();

    /**
     * The rate added per level, requests per second, finite and not 0 (equal levels are a constant
     * rate, written {@link Soak}); every level must stay in {@code [0, 1000000]}.
     */
    double increment();

    /** Number of levels, in {@code [2, 100]} ({@link Limits#MAX_STEP_LEVELS}). */
    int levels();

    /** How long each level holds, a duration string longer than 0s, at most {@link Limits#MAX_DURATION} (168h). */
    String levelDuration();

    /**
     * The linear ramp between consecutive levels, a duration string, at most {@link Limits#MAX_DURATION} (168h); {@code "0s"}
     * (the default) jumps.
     */
    String rampDuration() default "0s";

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
