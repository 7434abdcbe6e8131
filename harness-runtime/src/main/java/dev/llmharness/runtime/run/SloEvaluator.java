package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.result.TrialResult.SloVerdict;
import dev.llmharness.runtime.result.WindowSlo;
import java.util.ArrayList;
import java.util.List;
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
            String key = Metric.of(b.metric()).key();
            MetricResult m = metrics.get(key);
            Double actual = m == null ? null : m.percentile(b.percentile());
            double limitMs = b.limit().toNanos() / 1e6;
            verdicts.add(SloVerdict.latency(key, b.percentile(), key + " " + b, limitMs, actual));
        }
        if (slo.maxErrorRate().isPresent()) {
            verdicts.add(SloVerdict.errorRate(slo.maxErrorRate().getAsDouble(), errorRate));
        }
        return verdicts;
    }

    /**
     * One verdict per objective as {@link #evaluate(SloSpec, Map, Double)}, then the per-window
     * objective, when there is one, judged on {@code timeline} by the verdicts before it ({@link
     * WindowSlo}), then the throughput objective, when there is one ({@link ThroughputFloor}).
     */
    public static List<SloVerdict> evaluate(
            SloSpec slo,
            Map<String, MetricResult> metrics,
            Double errorRate,
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline) {
        List<SloVerdict> verdicts = evaluate(slo, metrics, errorRate);
        slo.windows()
                .ifPresent(w -> verdicts.add(WindowSlo.verdict(
                        w.toString(), w.attainment(), w.seconds(), window, timeline, List.copyOf(verdicts))));
        slo.throughput()
                .ifPresent(o -> verdicts.add(SloVerdict.throughput(
                        o.toString(),
                        o.seconds(),
                        ThroughputFloor.judge(window, timeline, metrics, o.seconds(), o.floor()))));
        return verdicts;
    }
}
