package dev.llmharness.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/** The terminal table: aligned columns and verdict words, so that it reads without colour. */
final class TerminalReport {
    private static final String[] HEADER = {
        "", "metric", "base", "contender", "change", "interval", "threshold", "verdict", "note"
    };
    private static final boolean[] RIGHT = {false, false, true, true, true, false, true, false, false};

    private TerminalReport() {}

    static String render(ComparisonReport r) {
        StringBuilder out = new StringBuilder();
        out.append("llmh compare: ").append(Cells.headline(r)).append('\n');
        out.append(Cells.counts(r)).append('\n');
        List<String> undecided = Cells.undecided(r);
        if (!undecided.isEmpty()) {
            out.append(undecided.size())
                    .append(" gated metric(s) could not be decided (--fail-on inconclusive makes this fail):\n");
            for (String u : undecided) {
                out.append("  ").append(u).append('\n');
            }
        }
        List<String> lower = Cells.lowerPercentiles(r);
        if (!lower.isEmpty()) {
            out.append(lower.size()).append(" gated percentile(s) gated on a lower one:\n");
            for (String l : lower) {
                out.append("  ").append(l).append('\n');
            }
        }
        out.append("base:      ").append(String.join(", ", r.baseSources())).append('\n');
        out.append("contender: ")
                .append(String.join(", ", r.contenderSources()))
                .append('\n');
        out.append(Cells.settings(r)).append("; * = gated metric\n");
        for (TrialComparison t : r.trials()) {
            out.append('\n').append("trial ").append(t.id()).append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            for (MetricComparison m : t.metrics()) {
                rows.add(new String[] {
                    m.gated() ? "*" : "",
                    m.metric(),
                    Cells.value(m.base(), m.unit()),
                    Cells.value(m.contender(), m.unit()),
                    Cells.changeInWords(m),
                    Cells.interval(m),
                    Cells.threshold(m),
                    m.verdict().label(),
                    m.verdict() == Verdict.NO_CHANGE ? "" : m.reason()
                });
            }
            out.append(align(rows));
            for (String w : t.warnings()) {
                out.append("  warning: ").append(w).append('\n');
            }
        }
        if (!r.onlyInBase().isEmpty()) {
            out.append("\nonly in base (not compared, so not gated): ")
                    .append(String.join(", ", r.onlyInBase()))
                    .append('\n');
        }
        if (!r.onlyInContender().isEmpty()) {
            out.append("\nonly in contender (not compared): ")
                    .append(String.join(", ", r.onlyInContender()))
                    .append('\n');
        }
        if (!r.environmentDifferences().isEmpty()) {
            out.append('\n')
                    .append(r.strict() ? "error" : "warning")
                    .append(": the environments differ")
                    .append(r.strict() ? " (--strict)" : "")
                    .append(":\n");
            for (String d : r.environmentDifferences()) {
                out.append("  ").append(d).append('\n');
            }
        }
        for (String w : r.warnings()) {
            out.append("warning: ").append(w).append('\n');
        }
        return out.toString();
    }

    private static String align(List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(RIGHT[i] ? pad + cell : cell + pad);
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
