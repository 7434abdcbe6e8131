package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The measurement window of every trial: requests whose intended start falls inside it are
 * measured; those still in flight when it closes are waited for up to the drain timeout, then
 * counted as cancelled. Bounded either by time ({@link #duration()}) or by a request count ({@link
 * #requests()}). Without this annotation, {@link Defaults#MEASUREMENT_DURATION} applies. The
 * duration is scaled at run time by {@code -Dllmh.durationScale} or replaced by {@code
 * -Dllmh.duration}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Measurement {
    /**
     * Length of the window as a duration string (see {@link DurationText}), {@code > 0s} and at most {@link Limits#MAX_DURATION} (168h).
     * Default {@link Defaults#MEASUREMENT_DURATION}. Ignored when {@link #requests()} is set.
     */
    String duration() default Defaults.MEASUREMENT_DURATION;

    /**
     * Number of requests to start instead of a duration; {@code 0} (the default) means the window
     * is bounded by {@link #duration()}; else at least {@link Limits#MIN_EXPECTED_REQUESTS}, and no more
     * than an open loop's rate sends in {@link Limits#MAX_DURATION}.
     */
    long requests() default 0;

    /**
     * How long to wait, after the window closes, for requests still in flight before counting
     * them as cancelled; a duration string, {@code > 0s} and at most {@link Limits#MAX_DURATION} (168h). Default {@link
     * Defaults#DRAIN_TIMEOUT}.
     */
    String drainTimeout() default Defaults.DRAIN_TIMEOUT;
}
