package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits of the Automatic Analysis (the PASS / WARNING / FAIL lines of the console and reports) for
 * a benchmark class or method, in place of the documented defaults. Each attribute is {@code
 * "<warn>,<fail>"}: above {@code warn} a WARNING, above {@code fail} a FAIL; empty (the default)
 * keeps the default. A system property {@code -Dllmh.analysis.<name>} given at run time still wins.
 * The analysis never contradicts the trial's {@link Slo} verdicts (docs/reports.md).
 *
 * <pre>{@code @AnalysisLimits(ttftP90 = "500ms,2s", errorRate = "0.001,0.01")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AnalysisLimits {
    /** Error rate, two fractions in [0, 1], e.g. {@code "0.01,0.05"} (the default). */
    String errorRate() default "";

    /** TTFT p90, two durations, e.g. {@code "1s,5s"} (the default). */
    String ttftP90() default "";

    /** ITL p99, two durations, e.g. {@code "100ms,500ms"} (the default). */
    String itlP99() default "";

    /** E2E latency p90, two durations, e.g. {@code "10s,30s"} (the default). */
    String e2eP90() default "";

    /** Saturation, two ratios of the window's second half over its first, e.g. {@code "1.5,3"} (the default). */
    String saturation() default "";
}
