package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Closed-loop load whose number of workers follows stages, as k6's ramping VUs: from {@link
 * #start()}, each {@link Workers} stage goes linearly to its target; worker {@code k} (from 0) runs
 * while the target exceeds {@code k}, finishing its request when the target drops below it. One
 * trial (parameter {@code load=worker-stages}, apart from an open-loop {@link Stages}'s {@code
 * load=stages}), measured to the last stage's end.
 *
 * <pre>{@code
 * @WorkerStages({@Workers(duration = "1m", target = 32), @Workers(duration = "2m", target = 32)})
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface WorkerStages {
    /**
     * The stages, in order; at least one, together longer than 0s and longer than a timed warmup,
     * running some worker while they last.
     */
    Workers[] value();

    /** Workers at the start, in {@code [0, 100000]} ({@link Limits#MAX_CONCURRENCY}). Default 0. */
    int start() default 0;

    /** Pause between a worker's requests, a duration string, {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h). Default {@code "0s"}. */
    String thinkTime() default "0s";
}
