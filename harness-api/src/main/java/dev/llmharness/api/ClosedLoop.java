package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Closed-loop load: a fixed number of workers, each sending its next request when its previous one
 * ends (plus {@link #thinkTime()}). Latency is measured from when the worker became free.
 *
 * <p>Each value of {@link #concurrency()} is one trial (trial parameter {@code concurrency}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ClosedLoop {
    /**
     * Numbers of concurrent workers, one trial each; each in {@code [1, 100000]} ({@link
     * Limits#MAX_CONCURRENCY}), none twice.
     */
    int[] concurrency();

    /**
     * Pause between the end of a worker's request and the start of its next, as a duration string
     * (see {@link DurationText}), {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h). Default {@code "0s"}.
     */
    String thinkTime() default "0s";

    /**
     * Start the workers evenly over this time (worker {@code k} of {@code N} at {@code k·rampUp/N}),
     * as the llama.cpp load tester's {@code ramp_up_seconds}; they then run until the window
     * ends. A duration string, {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h); {@code "0s"} (the default) starts all at once. The
     * ramp counts towards the warmup when one is set; it must end before a timed window does, or the
     * last workers would never start.
     */
    String rampUp() default "0s";
}
