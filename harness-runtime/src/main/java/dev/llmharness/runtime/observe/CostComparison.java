package dev.llmharness.runtime.observe;

import dev.llmharness.runtime.compare.MetricComparison;
import dev.llmharness.runtime.compare.Verdict;
import dev.llmharness.runtime.result.Cost;
import dev.llmharness.runtime.result.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cost rows of a comparison, derived from its throughput rows: a cost per token is the price per
 * hour over the throughput, so its change and interval follow exactly from the throughput's (the
 * map {@code x -> k / x} is monotonic), with {@code k} the ratio of the two prices per hour. Never
 * gated: the throughput row it follows is.
 */
public final class CostComparison {
    private CostComparison() {}

    /** Rows for cost per 1M output tokens and per 1,000 requests, when both sides have a cost. */
    public static List<MetricComparison> rows(List<MetricComparison> compared, Cost base, Cost contender) {
        List<MetricComparison> rows = new ArrayList<>();
        if (base == null || contender == null) {
            return rows;
        }
        double k = contender.costPerHour() / base.costPerHour();
        for (MetricComparison m : compared) {
            if (m.metric().equals("outputTokensPerSecond")) {
                rows.add(row(
                        "costPerMillionOutputTokens",
                        "per 1M output tokens",
                        m,
                        k,
                        base.costPerMillionOutputTokens(),
                        contender.costPerMillionOutputTokens()));
            } else if (m.metric().equals("requestsPerSecond")) {
                rows.add(row(
                        "costPerThousandRequests",
                        "per 1k requests",
                        m,
                        k,
                        base.costPerThousandRequests(),
                        contender.costPerThousandRequests()));
            }
        }
        return rows;
    }

    private static MetricComparison row(
            String name, String unit, MetricComparison tp, double k, Double base, Double contender) {
        Double change = tp.change() == null ? null : k / (1 + tp.change()) - 1;
        Double low = tp.changeHigh() == null ? null : k / (1 + tp.changeHigh()) - 1;
        Double high = tp.changeLow() == null || tp.changeLow() <= -1 ? null : k / (1 + tp.changeLow()) - 1;
        Verdict verdict;
        String reason;
        if (k == 1) {
            // Cost per token moves against the throughput: lower throughput, higher cost.
            verdict = tp.verdict();
            reason = "the same price per hour: follows " + tp.metric() + " (" + tp.reason() + ")";
        } else if (low == null || high == null) {
            verdict = Verdict.INCONCLUSIVE;
            reason = "the throughput's interval is unbounded";
        } else {
            double t = tp.threshold();
            verdict = low > t
                    ? Verdict.REGRESSION
                    : high < -t
                            ? Verdict.IMPROVEMENT
                            : low >= -t && high <= t ? Verdict.NO_CHANGE : Verdict.INCONCLUSIVE;
            reason = String.format(
                    Locale.ROOT,
                    "prices per hour differ (x%.4f): %s's interval scaled by the price ratio, against ±%.1f %%",
                    k,
                    tp.metric(),
                    100 * t);
        }
        return new MetricComparison(
                name,
                false,
                Direction.LOWER_IS_BETTER,
                unit,
                base,
                contender,
                "ratio",
                change,
                low,
                high,
                tp.threshold(),
                verdict,
                reason,
                tp.baseSamples(),
                tp.contenderSamples());
    }
}
