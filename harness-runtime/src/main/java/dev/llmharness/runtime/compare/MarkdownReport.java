package dev.llmharness.runtime.compare;

import java.util.List;

/**
 * The Markdown report for a pull-request comment: the marker first, a summary line with what was
 * gated, what the gate could not judge, the gated and other regressions, then every trial's full
 * table, then what was not compared and the environment differences in a collapsed block.
 */
final class MarkdownReport {
    /** First line of every Markdown report; a CI bot finds its previous comment by it. */
    static final String MARKER = "<!-- llmh-compare -->";

    private static final String TABLE_HEADER =
            "| Metric | Base | Contender | Change | Interval | Threshold | Verdict |\n"
                    + "|:--|--:|--:|--:|:--|--:|:--|\n";

    private MarkdownReport() {}

    static String render(ComparisonReport r) {
        StringBuilder out = new StringBuilder();
        out.append(MARKER).append('\n');
        out.append("### LLM Harness compare: ").append(Cells.headline(r)).append("\n\n");
        out.append(Cells.counts(r)).append(". Gated: ");
        out.append(escape(Cells.gated(r))).append(".\n");
        List<String> undecided = Cells.undecided(r);
        if (!undecided.isEmpty()) {
            out.append("\n").append(undecided.size()).append(" gated metric(s) could not be decided:\n\n");
            for (String u : undecided) {
                out.append("- ").append(escape(u)).append('\n');
            }
        }
        List<String> lower = Cells.lowerPercentiles(r);
        if (!lower.isEmpty()) {
            out.append("\n").append(lower.size()).append(" gated percentile(s) gated on a lower one:\n\n");
            for (String l : lower) {
                out.append("- ").append(escape(l)).append('\n');
            }
        }

        List<ComparisonReport.Finding> regressions = r.findings(false, Verdict.REGRESSION);
        if (!regressions.isEmpty()) {
            out.append("\n#### Regressions\n\n");
            out.append("| Trial | Metric | Base | Contender | Change | Interval | Gated |\n");
            out.append("|:--|:--|--:|--:|--:|:--|:--|\n");
            regressions.stream()
                    .sorted((a, b) ->
                            Boolean.compare(b.metric().gated(), a.metric().gated()))
                    .forEach(f -> {
                        MetricComparison m = f.metric();
                        out.append("| `")
                                .append(escape(f.trial().id()))
                                .append("` | ")
                                .append(m.metric())
                                .append(" | ")
                                .append(Cells.value(m.base(), m.unit()))
                                .append(" | ")
                                .append(Cells.value(m.contender(), m.unit()))
                                .append(" | ")
                                .append(Cells.changeInWords(m))
                                .append(" | ")
                                .append(Cells.interval(m))
                                .append(" | ")
                                .append(m.gated() ? "yes" : "no")
                                .append(" |\n");
                    });
        }

        out.append("\n#### All results\n");
        for (TrialComparison t : r.trials()) {
            out.append("\n**`").append(escape(t.id())).append("`**\n\n");
            out.append(TABLE_HEADER);
            for (MetricComparison m : t.metrics()) {
                String name = m.gated() ? "**" + m.metric() + "** (gated)" : m.metric();
                String verdict = m.verdict() == Verdict.REGRESSION || m.gated()
                        ? "**" + m.verdict().label() + "**"
                        : m.verdict().label();
                if (m.verdict() == Verdict.INCONCLUSIVE) {
                    verdict += ": " + escape(m.reason());
                }
                out.append("| ")
                        .append(name)
                        .append(" | ")
                        .append(Cells.value(m.base(), m.unit()))
                        .append(" | ")
                        .append(Cells.value(m.contender(), m.unit()))
                        .append(" | ")
                        .append(Cells.changeInWords(m))
                        .append(" | ")
                        .append(Cells.interval(m))
                        .append(" | ")
                        .append(Cells.threshold(m))
                        .append(" | ")
                        .append(verdict)
                        .append(" |\n");
            }
            for (String w : t.warnings()) {
                out.append("\n> warning: ").append(escape(w)).append('\n');
            }
        }

        if (!r.onlyInBase().isEmpty() || !r.onlyInContender().isEmpty()) {
            out.append("\n#### Not compared\n\n");
            if (!r.onlyInBase().isEmpty()) {
                // The usual cause: a changed parameter changes a trial's id, so the old one is left alone.
                out.append("A trial is matched by its id (benchmark and parameters): a baseline trial with no match"
                        + " was not gated.\n\n");
            }
            for (String id : r.onlyInBase()) {
                out.append("- only in base: `").append(escape(id)).append("`\n");
            }
            for (String id : r.onlyInContender()) {
                out.append("- only in contender: `").append(escape(id)).append("`\n");
            }
        }
        if (!r.environmentDifferences().isEmpty()) {
            out.append("\n<details><summary>Environment differences (")
                    .append(r.environmentDifferences().size())
                    .append(r.strict() ? ", --strict: incomparable" : "")
                    .append(")</summary>\n\n");
            for (String d : r.environmentDifferences()) {
                out.append("- ").append(escape(d)).append('\n');
            }
            out.append("\n</details>\n");
        }
        if (!r.warnings().isEmpty()) {
            out.append('\n');
            for (String w : r.warnings()) {
                out.append("> warning: ").append(escape(w)).append('\n');
            }
        }
        out.append("\n<sub>base: ")
                .append(escape(String.join(", ", r.baseSources())))
                .append(" · contender: ")
                .append(escape(String.join(", ", r.contenderSources())))
                .append(" · ")
                .append(Cells.settings(r))
                .append("</sub>\n");
        return out.toString();
    }

    /** Keeps table cells intact: a pipe would end the cell. */
    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
