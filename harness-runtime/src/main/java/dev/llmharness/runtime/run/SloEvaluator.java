package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult.SloVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a trial's objectives and its measured distributions into verdicts. Percentiles come from
 * the full histograms (not from the rounded summaries), so a verdict is the same whether it is
 * computed now or from the result file later. A missing measurement fails its objective.
 */
public final class SloEvaluator {
    private SloEvaluator() {}

    /**
     * One verdict per objective, latency bounds first, then the error-rate bound.
     *
     * @param metrics the trial's metrics by name ({@code ttft}, {@code tpot}, {@code itl}, {@code e2e})
     * @param errorRate failed / (completed + failed), or {@code null} when no request ended
     */
    public static List<SloVerdict> evaluate(SloSpec slo, Map<String, MetricResult> metrics, Double errorRate) {
        List<SloVerdict> verdicts = new ArrayList<>();
        for (LatencyBound b : slo.bounds()) {
            String key = metricKey(b.metric());
            MetricResult m = metrics.get(key);
            Double actual = m == null ? null : m.percentile(b.percentile());
            double limitMs = b.limit().toNanos() / 1e6;
            verdicts.add(new SloVerdict(key + " " + b, limitMs, actual, actual != null && actual <= limitMs));
        }
        if (slo.maxErrorRate().isPresent()) {
            double max = slo.maxErrorRate().getAsDouble();
            verdicts.add(new SloVerdict("errorRate <= " + max, max, errorRate, errorRate != null && errorRate <= max));
        }
        return verdicts;
    }

    /** The result metric an SLO metric bounds. */
    static String metricKey(SloMetric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }
}
