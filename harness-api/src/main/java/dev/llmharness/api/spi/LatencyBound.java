package dev.llmharness.api.spi;

import dev.llmharness.api.DurationText;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SLO bound: the given percentile of a latency metric must not exceed a limit.
 *
 * @param metric the metric
 * @param percentile in the open interval (0, 100), e.g. {@code 99.0}
 * @param limit the largest acceptable value, {@code > 0}
 */
public record LatencyBound(SloMetric metric, double percentile, Duration limit) {
    private static final Pattern SYNTAX = Pattern.compile("\\s*p([0-9]+(?:\\.[0-9]+)?)\\s*<=\\s*(.+?)\\s*");

    public LatencyBound {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(limit, "limit");
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("the percentile must be in (0, 100), got " + percentile);
        }
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the limit must be > 0, got " + DurationText.format(limit));
        }
    }

    /**
     * Parses {@code "p99 <= 2s"}.
     *
     * @throws IllegalArgumentException naming the problem and the expected form
     */
    public static LatencyBound parse(SloMetric metric, String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text
                    + "\": write \"p<percentile> <= <duration>\", e.g. \"p99 <= 2s\" or \"p50 <= 300ms\"");
        }
        double percentile = Double.parseDouble(m.group(1));
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException(
                    "invalid SLO bound \"" + text + "\": the percentile must be in (0, 100), e.g. p50, p99 or p99.9");
        }
        Duration limit;
        try {
            limit = DurationText.parse(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": " + e.getMessage());
        }
        if (limit.isZero()) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": the limit must be > 0");
        }
        return new LatencyBound(metric, percentile, limit);
    }

    /** The bound in the syntax {@link #parse} reads, e.g. {@code "p99 <= 2s"}. */
    @Override
    public String toString() {
        String p = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
        return "p" + p + " <= " + DurationText.format(limit);
    }
}
