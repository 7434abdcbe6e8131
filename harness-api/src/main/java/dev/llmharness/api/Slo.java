package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Service-level objectives a trial must meet; a trial that misses one fails the run (exit code 1).
 * Latency bounds are strings {@code "p<percentile> <= <duration>"}, for example {@code "p99 <=
 * 2s"} or {@code "p99.9 <= 150ms"}: the percentile is in the open interval (0, 100) and the
 * duration follows {@link DurationText}. A request meets its SLO (for goodput) when its own values
 * are within every bound.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Slo {
    /** Bounds on time to first token (from intended start). */
    String[] ttft() default {};

    /** Bounds on time per output token (vLLM's TPOT). */
    String[] tpot() default {};

    /** Bounds on inter-token latency (one value per gap between content events). */
    String[] itl() default {};

    /** Bounds on end-to-end latency (intended start to last token). */
    String[] e2e() default {};

    /**
     * Largest acceptable error rate, failed / (completed + failed), in [0, 1]; a negative value
     * (the default) means no bound.
     */
    double maxErrorRate() default -1;

    /**
     * Smallest acceptable share of windows that met the SLO, in (0, 1]: {@code windows = 0.9} asks
     * that 90 % of the measurement's windows of {@link #window} met every other objective of this
     * annotation (the latency bounds on TTFT, ITL and E2E, and {@link #maxErrorRate}), each window
     * judged on its own requests. A negative value (the default) means no such objective. It needs
     * at least one other objective to judge windows by.
     */
    double windows() default -1;

    /**
     * Smallest acceptable share of the offered requests that each window of {@link #window}
     * completed, in (0, 1]: {@code minThroughput = 0.9} asks that in every window the server
     * completed at least 90 % of the requests offered to it, so that a server falling behind an open
     * loop fails even while its latency bounds still hold (the release gate's throughput objective,
     * {@code llmh release-gate --min-throughput}). Offered requests are matched with completions
     * after the trial's end-to-end latencies (their distribution); a window of fewer than 10
     * offered requests is judged with the rest of the measurement (docs/load.md). A closed loop
     * offers what the server completes, so it always holds there. A negative value (the default)
     * means no such objective.
     */
    double minThroughput() default -1;

    /**
     * The length of a window for {@link #windows} and {@link #minThroughput}, a {@link
     * DurationText} of whole seconds, at least {@code 1s}; default {@code 10s}.
     */
    String window() default "10s";
}
