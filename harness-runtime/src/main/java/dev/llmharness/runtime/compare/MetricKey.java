package dev.llmharness.runtime.compare;

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
 * @param histogram the metric name in the result file ({@link Kind#PERCENTILE} only), else null
 * @param percentile in (0, 100) ({@link Kind#PERCENTILE} only), else 0
 */
record MetricKey(String name, Kind kind, String histogram, double percentile) {
    enum Kind {
        PERCENTILE,
        OUTPUT_TOKENS_PER_SECOND,
        REQUESTS_PER_SECOND,
        ERROR_RATE
    }

    static final String OUTPUT_TOKENS_PER_SECOND = "outputTokensPerSecond";
    static final String REQUESTS_PER_SECOND = "requestsPerSecond";
    static final String ERROR_RATE = "errorRate";

    private static final Pattern PERCENTILE_NAME = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\.p([0-9]+(?:\\.[0-9]+)?)");

    /**
     * Parses a metric name.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    static MetricKey parse(String name) {
        String n = name.strip();
        switch (n) {
            case OUTPUT_TOKENS_PER_SECOND:
                return new MetricKey(n, Kind.OUTPUT_TOKENS_PER_SECOND, null, 0);
            case REQUESTS_PER_SECOND:
                return new MetricKey(n, Kind.REQUESTS_PER_SECOND, null, 0);
            case ERROR_RATE:
                return new MetricKey(n, Kind.ERROR_RATE, null, 0);
            default:
                break;
        }
        Matcher m = PERCENTILE_NAME.matcher(n);
        if (m.matches()) {
            double p = Double.parseDouble(m.group(2));
            if (p > 0 && p < 100) {
                return new MetricKey(n, Kind.PERCENTILE, m.group(1), p);
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "': write <metric>.p<percentile> (e.g. "
                + "ttft.p99, itl.p50, tpot.p99, e2e.p90; the percentile in (0, 100)), " + OUTPUT_TOKENS_PER_SECOND
                + ", " + REQUESTS_PER_SECOND + " or " + ERROR_RATE);
    }

    /** Which way the figure improves. */
    Direction direction() {
        return kind == Kind.OUTPUT_TOKENS_PER_SECOND || kind == Kind.REQUESTS_PER_SECOND
                ? Direction.HIGHER_IS_BETTER
                : Direction.LOWER_IS_BETTER;
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
        switch (kind) {
            case PERCENTILE:
                return "ms";
            case OUTPUT_TOKENS_PER_SECOND:
                return "tokens/s";
            case REQUESTS_PER_SECOND:
                return "requests/s";
            default:
                return "ratio";
        }
    }
}
