package dev.llmharness.api.spi;

import dev.llmharness.api.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SLO bound: the given percentile of a latency metric must not exceed a limit.
 *
 * @param metric the metric
 * @param percentile in the open interval (0, 100), e.g. {@code 99.0}
 * @param limit the largest acceptable value, {@code > 0} and at most {@link
 *     dev.llmharness.api.Limits#MAX_DURATION}
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
        String tooLong = tooLong(limit);
        if (tooLong != null) {
            throw new IllegalArgumentException(tooLong);
        }
    }

    /**
     * Why a limit above {@link dev.llmharness.api.Limits#MAX_DURATION} is refused, or {@code null}:
     * no request is measured for longer than its drain timeout, itself at most that long, so such a
     * bound always holds and is a slip of the unit.
     */
    private static String tooLong(Duration limit) {
        String above = dev.llmharness.api.Limits.aboveMaxDuration("the limit", limit);
        return above == null ? null : above + ": no request is measured that long; check the unit (ms, s, m, h)";
    }

    /**
     * Parses {@code "p99 <= 2s"}. A bound that is close to the syntax gets the corrected text in
     * its message: the metric written into the bound ({@code "ttft.p99 <= 2s"}), a percentile
     * without its point ({@code p999} for p99.9), {@code <} or {@code =} for {@code <=}; an
     * error-rate bound is pointed to {@code maxErrorRate}.
     *
     * @throws IllegalArgumentException naming the problem and the expected form
     */
    public static LatencyBound parse(SloMetric metric, String text) {
        String errorRate = errorRateHint(text);
        if (errorRate != null) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": " + errorRate);
        }
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches() || !inRange(Double.parseDouble(m.group(1)))) {
            List<String> problems = new ArrayList<>();
            String fixed = corrected(metric, text == null ? "" : text, problems);
            if (fixed != null && !problems.isEmpty()) {
                throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": " + String.join("; ", problems)
                        + ": write \"" + fixed + "\"");
            }
            if (m.matches()) {
                throw new IllegalArgumentException("invalid SLO bound \"" + text
                        + "\": the percentile must be in (0, 100), e.g. p50, p99 or p99.9");
            }
            throw new IllegalArgumentException("invalid SLO bound \"" + text
                    + "\": write \"p<percentile> <= <duration>\", e.g. \"p99 <= 2s\" or \"p50 <= 300ms\"");
        }
        double percentile = Double.parseDouble(m.group(1));
        Duration limit;
        try {
            limit = DurationText.parse(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": " + e.getMessage());
        }
        if (limit.isZero()) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": the limit must be > 0");
        }
        if (tooLong(limit) != null) {
            throw new IllegalArgumentException("invalid SLO bound \"" + text + "\": " + tooLong(limit));
        }
        return new LatencyBound(metric, percentile, limit);
    }

    private static boolean inRange(double percentile) {
        return percentile > 0 && percentile < 100;
    }

    private static final Pattern METRIC_PREFIX =
            Pattern.compile("(?i)\\s*(ttft|tpot|itl|e2e)\\s*[._:]?\\s*(?=p?[0-9])");
    private static final Pattern LOOSE =
            Pattern.compile("(?i)p?([0-9]+(?:\\.[0-9]+)?)\\s*(<=|=<|<|==|=|≤)\\s*(.+?)\\s*");
    private static final Pattern ERROR_RATE =
            Pattern.compile("(?i).*(error|fail).*|.*[0-9.]+\\s*%\\s*|\\s*p?[0-9.]*\\s*<=?\\s*(0?\\.[0-9]+|0)\\s*");

    /** Why {@code text} is an error-rate bound, with the attribute to use instead; else {@code null}. */
    private static String errorRateHint(String text) {
        if (text == null || !ERROR_RATE.matcher(text).matches()) {
            return null;
        }
        Matcher percent = Pattern.compile("([0-9.]+)\\s*%").matcher(text);
        String rate = "0.01";
        if (percent.find()) {
            try {
                rate = new java.math.BigDecimal(percent.group(1))
                        .movePointLeft(2)
                        .stripTrailingZeros()
                        .toPlainString();
            } catch (NumberFormatException e) {
                // keep the example
            }
        }
        return "this looks like an error-rate bound, which is not a latency bound: bound the error rate with"
                + " @Slo(maxErrorRate = " + rate + ") (a fraction of requests), and keep latency attributes for"
                + " \"p<percentile> <= <duration>\"";
    }

    /**
     * {@code text} with the usual slips corrected, each named in {@code problems}, when the result
     * parses; else {@code null}.
     */
    private static String corrected(SloMetric metric, String text, List<String> problems) {
        String s = text.strip();
        Matcher prefix = METRIC_PREFIX.matcher(s);
        if (prefix.lookingAt()) {
            problems.add("the attribute names the metric (" + metric.name().toLowerCase(java.util.Locale.ROOT)
                    + " = ...), so the bound leaves it out");
            s = s.substring(prefix.end());
        }
        Matcher m = LOOSE.matcher(s);
        if (!m.matches()) {
            return null;
        }
        if (!s.regionMatches(true, 0, "p", 0, 1)) {
            problems.add("a percentile is written with p, as in p99");
        }
        String percentile = m.group(1);
        if (!inRange(Double.parseDouble(percentile))) {
            String pointed = percentile.length() > 2 && !percentile.contains(".")
                    ? percentile.substring(0, 2) + "." + percentile.substring(2)
                    : null;
            if (pointed == null || !inRange(Double.parseDouble(pointed)) || pointed.endsWith("0")) {
                return null;
            }
            problems.add("the percentile must be in (0, 100): p" + percentile + " is written p" + pointed);
            percentile = pointed;
        }
        if (!m.group(2).equals("<=")) {
            problems.add("a bound is written with <= (" + m.group(2) + " is not accepted)");
        }
        String fixed = "p" + percentile + " <= " + m.group(3);
        try {
            parse(metric, fixed);
            return fixed;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bound in the syntax {@link #parse} reads, e.g. {@code "p99 <= 2s"}. */
    @Override
    public String toString() {
        String p = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
        return "p" + p + " <= " + DurationText.format(limit);
    }
}
