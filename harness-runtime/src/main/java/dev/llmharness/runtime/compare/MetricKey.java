package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.Direction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparable figure of a trial, by the name users write in {@code --gate} and {@code
 * --threshold}: {@code <histogram>.p<percentile>} (e.g. {@code ttft.p99}, {@code itl.p50}), {@code
 * outputTokensPerSecond}, {@code requestsPerSecond} or {@code errorRate}.
 *
 * @param name the name as written
 * @param kind what sort of figure it is
 * @param metric the metric, from the one registry of metrics
 * @param percentile in (0, 100) ({@link Kind#PERCENTILE} only), else 0
 */
record MetricKey(String name, Kind kind, Metric metric, double percentile) {
    enum Kind {
        PERCENTILE,
        OUTPUT_TOKENS_PER_SECOND,
        REQUESTS_PER_SECOND,
        ERROR_RATE
    }

    static final String OUTPUT_TOKENS_PER_SECOND = Metric.OUTPUT_TOKENS_PER_SECOND.key();
    static final String REQUESTS_PER_SECOND = Metric.REQUESTS_PER_SECOND.key();
    static final String ERROR_RATE = Metric.ERROR_RATE.key();

    private static final Pattern PERCENTILE_NAME = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\.p([0-9]+(?:\\.[0-9]+)?)");

    /**
     * Parses a metric name.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    static MetricKey parse(String name) {
        String n = name.strip();
        if (n.equals(OUTPUT_TOKENS_PER_SECOND)) {
            return new MetricKey(n, Kind.OUTPUT_TOKENS_PER_SECOND, Metric.OUTPUT_TOKENS_PER_SECOND, 0);
        }
        if (n.equals(REQUESTS_PER_SECOND)) {
            return new MetricKey(n, Kind.REQUESTS_PER_SECOND, Metric.REQUESTS_PER_SECOND, 0);
        }
        if (n.equals(ERROR_RATE)) {
            return new MetricKey(n, Kind.ERROR_RATE, Metric.ERROR_RATE, 0);
        }
        Matcher m = PERCENTILE_NAME.matcher(n);
        if (m.matches()) {
            double p = Double.parseDouble(m.group(2));
            Metric metric =
                    Metric.byKey(m.group(1)).filter(Metric::isDistribution).orElse(null);
            if (p > 0 && p < 100 && metric != null) {
                return new MetricKey(n, Kind.PERCENTILE, metric, p);
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "': write <metric>.p<percentile> (e.g. "
                + "ttft.p99, itl.p50, tpot.p90, e2e.p90; the metric one of "
                + Metric.distributions().stream().map(Metric::key).toList() + ", the percentile in (0, 100)), "
                + OUTPUT_TOKENS_PER_SECOND + ", " + REQUESTS_PER_SECOND + " or " + ERROR_RATE);
    }

    /** The name users write for a whole percentile of a distribution, e.g. {@code ttft.p90}. */
    static String name(Metric metric, int percentile) {
        return metric.key() + ".p" + percentile;
    }

    /** The same metric at another percentile, e.g. {@code ttft.p90} for {@code ttft.p99}. */
    MetricKey atPercentile(double p) {
        return new MetricKey(metric.key() + ".p" + Comparison.format(p), Kind.PERCENTILE, metric, p);
    }

    /** The metric name in the result file ({@link Kind#PERCENTILE} only). */
    String histogram() {
        return metric.key();
    }

    /** Which way the figure improves. */
    Direction direction() {
        return metric.direction();
    }

    /** The error rate is compared as an absolute difference; everything else as a ratio. */
    boolean comparesAsDifference() {
        return kind == Kind.ERROR_RATE;
    }

    /**
     * The default noise threshold: relative for ratios (5 % for throughput and percentiles below
     * p90, 10 % for p90 and above, whose estimates are noisier), absolute for the error rate (0.5
     * percentage points).
     */
    double defaultThreshold() {
        switch (kind) {
            case PERCENTILE:
                return percentile >= 90 ? 0.10 : 0.05;
            case ERROR_RATE:
                return 0.005;
            default:
                return 0.05;
        }
    }

    /** Unit of the figure as shown. */
    String unit() {
        return metric.unit();
    }
}
