package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many times {@code llmh gate} (and the Maven {@code bench} profile) runs the selected trials,
 * each run into its own result file, so that comparisons see run-to-run variation (a busy machine,
 * a server's warm or cold state) and not only request-to-request variation. The largest value among
 * the selected classes applies; {@code -Dllmh.forks} / {@code llmh gate --forks} replaces it. As in
 * JMH, more forks give sharper verdicts and cost proportionally more time; see {@code
 * docs/compare.md}.
 *
 * <p>Retained at run time: the gate reads it once per run from the benchmark class.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Fork {
    /** Runs per side, {@code >= 1}. */
    int value();
}
