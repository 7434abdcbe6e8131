package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One stage of {@link Stages}: the rate goes linearly from where the previous stage ended to
 * {@link #rate()} over {@link #duration()} ({@code "0s"} jumps to it), as a k6 stage.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Stage {
    /** How long the stage lasts, a duration string, {@code >= 0s} and at most {@link Limits#MAX_DURATION} (168h). */
    String duration();

    /** Requests per second at the stage's end, in {@code [0, 1000000]} ({@link Limits#MAX_RATE}). */
    double rate();
}
