package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /**
     * The headline: the verdict, then everything the gate left unjudged ({@link #unjudged}), then
     * {@code listed} (where the report lists them), e.g. {@code "NO GATED REGRESSION, but 2 gated
     * metrics could not be decided; 1 baseline trial not compared (see below)"}. A build log is read
     * from its end, and the gate's last line repeats it: a gate that passed without judging a gated
     * metric or a baseline trial says so there.
     */
    static String headline(ComparisonReport r, String listed) {
        ComparisonReport.Summary s = r.summary();
        if (r.noTrialsInCommon()) {
            return "NOT COMPARED: the base and the contender have no trial in common";
        }
        if (r.incomparable()) {
            return "INCOMPARABLE: the environments differ (--strict)";
        }
        List<String> unjudged = unjudged(r);
        String tail = unjudged.isEmpty() ? "" : String.join("; ", unjudged) + listed;
        if (s.gatedRegressions() > 0) {
            List<String> names = new ArrayList<>();
            for (ComparisonReport.Finding f : r.gatedRegressions()) {
                names.add(shortName(f.trial()) + " " + f.metric().metric() + " " + changeInWords(f.metric()));
            }
            String regressions = "REGRESSION: "
                    + plural(s.gatedRegressions(), "gated regression", "gated regressions") + " ("
                    + String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", ..." : "") + ")";
            return unjudged.isEmpty() ? regressions : regressions + "; " + tail;
        }
        return unjudged.isEmpty() ? "NO GATED REGRESSION" : "NO GATED REGRESSION, but " + tail;
    }

    /**
     * Every way a gated thing went unjudged, one phrase each: gated metrics that could not be
     * decided (an absent metric, a trial without samples and a harness-limited change are among
     * them), baseline trials with no contender trial of their id (a changed parameter changes the
     * id), and gated percentiles gated on a lower one. Empty when the gate judged all it gates. A
     * trial only the contender has is new, with nothing to regress from: it is listed, not counted.
     */
    static List<String> unjudged(ComparisonReport r) {
        List<String> phrases = new ArrayList<>();
        int undecided = r.summary().gatedInconclusive();
        if (undecided > 0) {
            phrases.add(plural(undecided, "gated metric", "gated metrics") + " could not be decided");
        }
        if (!r.onlyInBase().isEmpty()) {
            phrases.add(plural(r.onlyInBase().size(), "baseline trial", "baseline trials") + " not compared");
        }
        int lower = r.gatedOnALowerPercentile().size();
        if (lower > 0) {
            phrases.add(plural(lower, "gated percentile", "gated percentiles") + " gated on a lower one");
        }
        return phrases;
    }

    /**
     * One line per gated percentile gated on a lower one, with the lower one and why, e.g. {@code
     * "ClosedLoopBenchmarks.workers{concurrency=8} ttft.p90: gated on ttft.p50 instead (the base's
     * runs spread ±21.3 % at ttft.p90, more than its 10 % threshold)"}; empty when there is none.
     */
    static List<String> lowerPercentiles(ComparisonReport r) {
        List<String> lines = new ArrayList<>();
        for (ComparisonReport.Finding f : r.gatedOnALowerPercentile()) {
            lines.add(shortName(f.trial()) + " " + f.metric().metric() + ": "
                    + ComparisonReport.lowerPercentileNote(f.metric()));
        }
        return lines;
    }

    /**
     * What was gated, read from the rows' own gated flags: the gated metrics of each load model,
     * or of each group of trials where the trials of one load model differ (a percentile gated on
     * a lower one, an error rate gated over all trials instead), then the pooled error rate. E.g.
     * {@code "ttft.p50, ttft.p90, tpot.p50, tpot.p90 in 4 open-loop trials; ttft.p50, tpot.p50,
     * tpot.p90, outputTokensPerSecond in 1 closed-loop trial; errorRate over all trials"}.
     */
    static String gated(ComparisonReport r) {
        Map<List<String>, List<TrialComparison>> groups = new LinkedHashMap<>();
        List<String> pooled = List.of();
        for (TrialComparison t : r.trials()) {
            List<String> names = t.metrics().stream()
                    .filter(MetricComparison::gated)
                    .map(MetricComparison::metric)
                    .toList();
            if (t.id().equals(Comparison.ALL_TRIALS)) {
                pooled = names;
                continue;
            }
            List<String> key = new ArrayList<>();
            key.add(String.valueOf(t.loadModel()));
            key.addAll(names);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        Map<String, Integer> groupsPerModel = new HashMap<>();
        Set<List<String>> gatedSets = new HashSet<>();
        groups.keySet().forEach(k -> {
            groupsPerModel.merge(k.get(0), 1, Integer::sum);
            gatedSets.add(k.subList(1, k.size()));
        });
        List<String> parts = new ArrayList<>();
        if (gatedSets.size() == 1 && groups.size() > 1) {
            // Every trial gated the same, whatever its load model (a --gate, say): one part.
            List<String> names = gatedSets.iterator().next();
            int n = groups.values().stream().mapToInt(List::size).sum();
            parts.add(names(names) + " in all " + n + " trials");
        } else {
            groups.forEach((key, trials) -> {
                String model = key.get(0);
                String kind = "open".equals(model) || "closed".equals(model) ? model + "-loop trial" : "trial";
                String where = plural(trials.size(), kind, kind + "s");
                if (groupsPerModel.get(model) > 1) {
                    where += " ("
                            + String.join(
                                    ", ", trials.stream().map(Cells::shortName).toList()) + ")";
                }
                parts.add(names(key.subList(1, key.size())) + " in " + where);
            });
        }
        if (!pooled.isEmpty()) {
            parts.add(names(pooled) + " over all trials");
        }
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }

    private static String names(List<String> metrics) {
        return metrics.isEmpty() ? "nothing" : String.join(", ", metrics);
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

    /**
     * Counts of every verdict, of the trials and of the gated percentiles gated on a lower one, e.g.
     * {@code "1 regression (1 gated), 0 improvements, 20 no change, 3 inconclusive over 5 trials
     * compared; 1 gated percentile gated on a lower one"}.
     */
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
        int lower = r.gatedOnALowerPercentile().size();
        String replaced = lower == 0
                ? ""
                : "; " + plural(lower, "gated percentile", "gated percentiles") + " gated on a lower one";
        return String.join(", ", parts) + " over " + trials + replaced;
    }

    static String settings(ComparisonReport r) {
        return "seed " + r.seed() + ", " + r.resamples() + " resamples, " + Comparison.format(r.confidence() * 100)
                + " % intervals";
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
