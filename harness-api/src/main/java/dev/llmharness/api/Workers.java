package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One stage of {@link WorkerStages}: the number of closed-loop workers goes linearly from where the
 * previous stage ended to {@link #target()} over {@link #duration()} ({@code "0s"} jumps).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Workers {
    /** How long the stage lasts, a duration string, {@code >= 0s}, at most {@link Limits#MAX_DURATION} (168h). */
    String duration();

    /** Workers at the stage's end, in {@code [0, 100000]} ({@link Limits#MAX_CONCURRENCY}). */
    int target();
}
