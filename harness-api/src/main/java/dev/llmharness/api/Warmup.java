package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The warmup phase of every trial: load is applied as in the measurement, and nothing is recorded.
 * It is bounded either by time ({@link #duration()}) or by a request count ({@link #requests()}),
 * not both. Without this annotation, {@link Defaults#WARMUP_DURATION} applies.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Warmup {
    /**
     * Length of the phase as a duration string (see {@link DurationText}); {@code "0s"} disables
     * warmup; at most {@link Limits#MAX_DURATION} (168h). Default {@link Defaults#WARMUP_DURATION}. Ignored when {@link
     * #requests()} is set. Before a load shape it must be shorter than the shape.
     */
    String duration() default Defaults.WARMUP_DURATION;

    /**
     * Number of requests to start instead of a duration; {@code 0} (the default) means the phase
     * is bounded by {@link #duration()}. Must be {@code >= 0}.
     */
    long requests() default 0;
}
