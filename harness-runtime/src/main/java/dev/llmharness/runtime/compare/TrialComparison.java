package dev.llmharness.runtime.compare;

import java.util.List;
import java.util.Map;

/**
 * One trial present on both sides.
 *
 * @param id the trial id both sides share
 * @param benchmark {@code <class>.<method>}
 * @param params trial parameters
 * @param metrics one entry per compared metric, in the order of {@link CompareOptions#metrics()}
 * @param warnings anything that weakens this comparison (partial runs, missing metrics...)
 */
public record TrialComparison(
        String id,
        String benchmark,
        Map<String, String> params,
        List<MetricComparison> metrics,
        List<String> warnings) {
    public TrialComparison {
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
    }
}
