package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats report values as table cells, the same way in every text format. */
final class Cells {
    private Cells() {}

    /** A value in its unit, e.g. {@code "312.4 ms"}, {@code "1520 tokens/s"}, {@code "0.25 %"}. */
    static String value(Double v, String unit) {
        if (v == null) {
            return "n/a";
        }
        if ("ratio".equals(unit)) {
            return String.format(Locale.ROOT, "%.2f %%", v * 100);
        }
        return number(v) + " " + unit;
    }

    /** Three significant digits or more, never scientific notation. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The change as a signed percentage (ratios) or percentage points (error rate). */
    static String change(MetricComparison m, Double change) {
        if (change == null) {
            return "n/a";
        }
        double scaled = change * 100;
        String sign = scaled > 0 ? "+" : scaled < 0 ? "-" : "±";
        String magnitude = String.format(Locale.ROOT, "%.1f", Math.abs(scaled));
        if ("difference".equals(m.changeKind())) {
            magnitude = String.format(Locale.ROOT, "%.2f", Math.abs(scaled));
            return sign + magnitude + " pp";
        }
        return sign + magnitude + " %";
    }

    /** The change with which way it goes for this metric: {@code "+20.0 % worse"}. */
    static String changeInWords(MetricComparison m) {
        String c = change(m, m.change());
        if (m.change() == null || m.change() == 0) {
            return c;
        }
        boolean up = m.change() > 0;
        boolean worse = m.direction() == Direction.LOWER_IS_BETTER ? up : !up;
        return c + (worse ? " worse" : " better");
    }

    static String interval(MetricComparison m) {
        if (m.changeLow() == null || m.changeHigh() == null) {
            return "n/a";
        }
        return "[" + change(m, m.changeLow()) + ", " + change(m, m.changeHigh()) + "]";
    }

    static String threshold(MetricComparison m) {
        String t = Comparison.format(m.threshold() * 100);
        return "difference".equals(m.changeKind()) ? t + " pp" : t + " %";
    }

    /**
     * One finding on one line, naming the trial and the metric, e.g. {@code "OpenLoop.chat{rate=4}
     * ttft.p99 +20.0 % worse [+12.1 %, +28.3 %] REGRESSION"}: what a build log shows.
     */
    static String finding(ComparisonReport.Finding f) {
        MetricComparison m = f.metric();
        return f.trial().id() + " " + m.metric() + " " + changeInWords(m) + " " + interval(m) + " " + m.verdict();
    }

    /** The one-line summary both text formats open with. */
    static String headline(ComparisonReport r) {
        return headline(r, " (see below)");
    }

    /** The headline, {@code listed} after the count of undecided metrics (where the report lists them). */
    static String headline(ComparisonReport r, String listed) {
        ComparisonReport.Summary s = r.summary();
        if (r.noTrialsInCommon()) {
            return "NOT COMPARED: the base and the contender have no trial in common";
        }
        if (r.incomparable()) {
            return "INCOMPARABLE: the environments differ (--strict)";
        }
        if (s.gatedRegressions() > 0) {
            List<String> names = new ArrayList<>();
            for (ComparisonReport.Finding f : r.gatedRegressions()) {
                names.add(shortName(f.trial()) + " " + f.metric().metric() + " " + changeInWords(f.metric()));
            }
            return "REGRESSION: " + plural(s.gatedRegressions(), "gated regression", "gated regressions") + " ("
                    + String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", ..." : "") + ")";
        }
        if (s.gatedInconclusive() > 0) {
            return "NO GATED REGRESSION, but " + plural(s.gatedInconclusive(), "gated metric", "gated metrics")
                    + " could not be decided" + listed;
        }
        return "NO GATED REGRESSION";
    }

    /** The trial as a short label: the method and its parameters, without the package and class. */
    static String shortName(TrialComparison t) {
        String id = t.id();
        int brace = id.indexOf('{');
        String head = brace < 0 ? id : id.substring(0, brace);
        int dot = head.lastIndexOf('.', head.lastIndexOf('.') - 1);
        return id.substring(dot + 1);
    }

    /**
     * One line per gated metric that could not be decided, with why; empty when every gated
     * metric was decided. An undecided gate is never silent.
     */
    static List<String> undecided(ComparisonReport r) {
        List<String> lines = new ArrayList<>();
        for (ComparisonReport.Finding f : r.gateUndecided()) {
            lines.add(shortName(f.trial()) + " " + f.metric().metric() + ": "
                    + f.metric().reason());
        }
        return lines;
    }

    /** Counts of every verdict, e.g. {@code "1 regression, 0 improvements, 20 no change..."}. */
    static String counts(ComparisonReport r) {
        ComparisonReport.Summary s = r.summary();
        List<String> parts = new ArrayList<>();
        parts.add(plural(s.regressions(), "regression", "regressions") + " (" + s.gatedRegressions() + " gated)");
        parts.add(plural(s.improvements(), "improvement", "improvements"));
        parts.add(s.noChange() + " no change");
        parts.add(s.inconclusive() + " inconclusive");
        String trials = plural(s.trialsCompared(), "trial", "trials") + " compared";
        if (!r.onlyInBase().isEmpty() || !r.onlyInContender().isEmpty()) {
            trials += " (" + r.onlyInBase().size() + " only in base, "
                    + r.onlyInContender().size() + " only in contender)";
        }
        return String.join(", ", parts) + " over " + trials;
    }

    static String settings(ComparisonReport r) {
        return "seed " + r.seed() + ", " + r.resamples() + " resamples, " + Comparison.format(r.confidence() * 100)
                + " % intervals";
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
