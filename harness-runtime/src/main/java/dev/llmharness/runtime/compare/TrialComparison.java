package dev.llmharness.runtime.compare;

import java.util.List;
import java.util.Map;

/**
 * One trial present on both sides.
 *
 * @param id the trial id both sides share
 * @param benchmark {@code <class>.<method>}
 * @param params trial parameters
 * @param loadModel the trial's load model as the base's first run recorded it, {@code "open"} or
 *     {@code "closed"} ({@code "open"} for a file that records none), which chose its default gated
 *     metrics; {@code null} for the {@link Comparison#ALL_TRIALS} row
 * @param metrics one entry per compared metric, in the order of {@link CompareOptions#metrics()}
 * @param warnings anything that weakens this comparison (partial runs, missing metrics...)
 */
public record TrialComparison(
        String id,
        String benchmark,
        Map<String, String> params,
        String loadModel,
        List<MetricComparison> metrics,
        List<String> warnings) {
    public TrialComparison {
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
    }
}
