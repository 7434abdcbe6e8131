package dev.llmharness.runtime.report;

import dev.llmharness.runtime.compare.MetricComparison;
import dev.llmharness.runtime.result.TrialResult;
import java.util.Locale;

/** How figures read in the Markdown and HTML reports; one place so that both agree. */
final class Text {
    private Text() {}

    /** Milliseconds: 3 decimals below 100, 1 above (as the console table), {@code -} for none. */
    static String ms(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A rate with 2 decimals. */
    static String rate(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Seconds with 1 decimal and the unit. */
    static String seconds(double v) {
        return String.format(Locale.ROOT, "%.1f s", v);
    }

    /**
     * The load in words, e.g. {@code open loop, POISSON arrivals at 8 req/s} or {@code closed loop, 16
     * workers}; a shape or a trace by its one-line description ({@code spike POISSON 5 → 5 over 10s ⇒
     * 50 ...}), since its rate field holds only the peak (and a trace has no rate or arrival process).
     */
    static String load(TrialResult.LoadInfo l) {
        if (l == null) {
            return "-";
        }
        if (l.shape() != null) {
            return l.describe();
        }
        if ("open".equals(l.model())) {
            return "open loop, " + l.arrival() + " arrivals at " + number(l.rate()) + " req/s"
                    + (l.maxInFlight() != null && l.maxInFlight() > 0
                            ? ", at most " + l.maxInFlight() + " in flight"
                            : "");
        }
        return "closed loop, " + l.concurrency() + " workers"
                + (l.thinkTimeMs() != null && l.thinkTimeMs() > 0
                        ? ", think time " + number(l.thinkTimeMs()) + " ms"
                        : "");
    }

    /** A compared value in its unit. */
    static String value(Double v, String unit) {
        if (v == null) {
            return "-";
        }
        return switch (unit) {
            case "ms" -> ms(v) + " ms";
            case "ratio" -> Analysis.percent(v);
            default -> String.format(Locale.ROOT, "%.2f", v) + " " + unit;
        };
    }

    /** The change of a comparison: {@code +12.3 %} for ratios, {@code +0.50 pp} for the error rate. */
    static String change(MetricComparison m) {
        if (m.change() == null) {
            return "-";
        }
        if ("difference".equals(m.changeKind())) {
            return String.format(Locale.ROOT, "%+.2f pp", m.change() * 100);
        }
        return String.format(Locale.ROOT, "%+.1f %%", m.change() * 100);
    }

    static String number(Double v) {
        if (v == null) {
            return "-";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
