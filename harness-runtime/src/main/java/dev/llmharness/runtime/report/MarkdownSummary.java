package dev.llmharness.runtime.report;

import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.compare.MetricComparison;
import dev.llmharness.runtime.compare.TrialComparison;
import dev.llmharness.runtime.compare.Verdict;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * {@code report.md}: the summary table, SLO verdicts, comparison verdicts, the Automatic Analysis
 * and warnings, with a link to the HTML report beside it. The GitHub step-summary variant ({@code
 * step-summary.md}) is the same text without links to files (a step summary cannot reach them),
 * to be appended to {@code $GITHUB_STEP_SUMMARY}.
 */
final class MarkdownSummary {
    private MarkdownSummary() {}

    /**
     * @param stepSummary {@code true} for the GitHub step-summary variant
     */
    static String render(ReportModel model, boolean stepSummary) {
        StringBuilder md = new StringBuilder();
        md.append(stepSummary ? "### " : "# ").append("LLM Harness report\n\n");
        environment(md, model);
        if (!stepSummary) {
            md.append("\nCharts: [report.html](report.html). Tables: [summary.csv](summary.csv),")
                    .append(" [summary.json](summary.json).\n");
        }
        String h2 = stepSummary ? "#### " : "## ";
        md.append('\n').append(h2).append("Summary\n\n");
        md.append("| input | trial | requests | success | req/s | output tok/s | TTFT mean ms | E2E mean ms |")
                .append(" E2E p50 ms | E2E p95 ms | E2E p99 ms | SLO |\n");
        md.append("|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n");
        for (SummaryTable.Row row : SummaryTable.rows(model.inputs())) {
            TrialResult t = row.trial();
            MetricResult e2e = t.metrics().get(Metric.E2E.key());
            MetricResult ttft = t.metrics().get(Metric.TTFT.key());
            md.append("| ")
                    .append(cell(row.input().label()))
                    .append(" | `")
                    .append(cell(t.id()))
                    .append("` | ")
                    .append(t.counts().sent())
                    .append(" | ")
                    .append(
                            t.counts().sent() == 0
                                    ? "-"
                                    : Analysis.percent((double) t.counts().completed()
                                            / t.counts().sent()))
                    .append(" | ")
                    .append(Text.rate(t.throughput().requestsPerSecond()))
                    .append(" | ")
                    .append(Text.rate(t.throughput().outputTokensPerSecond()))
                    .append(" | ")
                    .append(Text.ms(ttft == null ? null : ttft.mean()))
                    .append(" | ")
                    .append(Text.ms(e2e == null ? null : e2e.mean()))
                    .append(" | ")
                    .append(Text.ms(e2e == null ? null : e2e.p50()))
                    .append(" | ")
                    .append(Text.ms(e2e == null ? null : e2e.p95()))
                    .append(" | ")
                    .append(Text.ms(e2e == null ? null : e2e.p99()))
                    .append(" | ")
                    .append(sloCell(t))
                    .append(" |\n");
        }

        md.append(dev.llmharness.runtime.observe.ObservedTables.markdown(
                SummaryTable.rows(model.inputs()).stream()
                        .map(r -> new dev.llmharness.runtime.observe.ObservedTables.Row(
                                r.input().label(), r.trial()))
                        .toList(),
                h2));

        sweeps(md, model, h2);
        boolean anySlo = model.inputs().stream()
                .flatMap(i -> i.result().trials().stream())
                .anyMatch(t -> !t.slo().isEmpty());
        if (anySlo) {
            md.append('\n').append(h2).append("SLO verdicts\n\n");
            md.append("| input | trial | objective | actual | verdict |\n|:--|:--|:--|--:|:--|\n");
            for (SummaryTable.Row row : SummaryTable.rows(model.inputs())) {
                for (TrialResult.SloVerdict v : row.trial().slo()) {
                    md.append("| ")
                            .append(cell(row.input().label()))
                            .append(" | `")
                            .append(cell(row.trial().id()))
                            .append("` | ")
                            .append(cell(v.objective()))
                            .append(" | ")
                            .append(
                                    v.actual() == null
                                            ? "not measured"
                                            : v.onShare() ? Analysis.percent(v.actual()) : Text.ms(v.actual()) + " ms")
                            .append(" | ")
                            .append(v.passed() ? "PASS" : "**FAIL**")
                            .append(" |\n");
                }
                // A shaped trial's objectives per window, as a figure: it decides no verdict.
                var figure = dev.llmharness.runtime.result.WindowSlo.figure(row.trial());
                if (figure.isPresent()) {
                    md.append("| ")
                            .append(cell(row.input().label()))
                            .append(" | `")
                            .append(cell(row.trial().id()))
                            .append("` | ")
                            .append(cell(figure.get().describe()))
                            .append(" | ")
                            .append(Analysis.percent(figure.get().fraction()))
                            .append(" | figure |\n");
                }
            }
        }

        for (ComparisonReport c : model.comparisons()) {
            md.append('\n')
                    .append(h2)
                    .append("Comparison: ")
                    .append(cell(String.join(", ", c.baseSources())))
                    .append(" (base) vs ")
                    .append(cell(String.join(", ", c.contenderSources())))
                    .append("\n\n");
            md.append("| trial | metric | base | contender | change | verdict |\n|:--|:--|--:|--:|--:|:--|\n");
            for (TrialComparison t : c.trials()) {
                for (MetricComparison m : t.metrics()) {
                    md.append("| `")
                            .append(cell(t.id()))
                            .append("` | ")
                            .append(m.metric())
                            .append(m.gated() ? " (gated)" : "")
                            .append(" | ")
                            .append(Text.value(m.base(), m.unit()))
                            .append(" | ")
                            .append(Text.value(m.contender(), m.unit()))
                            .append(" | ")
                            .append(Text.change(m))
                            .append(" | ")
                            .append(
                                    m.verdict() == Verdict.REGRESSION
                                            ? "**REGRESSION**"
                                            : m.verdict().label())
                            .append(" |\n");
                }
            }
        }

        md.append('\n').append(h2).append("Automatic Analysis\n");
        for (int i = 0; i < model.inputs().size(); i++) {
            for (Map.Entry<String, List<Analysis.Finding>> e :
                    model.findingsByTrial(i).entrySet()) {
                md.append("\n`")
                        .append(cell(e.getKey()))
                        .append('`')
                        .append(
                                model.inputs().size() > 1
                                        ? " (" + cell(model.inputs().get(i).label()) + ")"
                                        : "")
                        .append("\n\n");
                for (Analysis.Finding f : e.getValue()) {
                    md.append("- ")
                            .append(f.level() == Analysis.Level.PASS ? "PASS" : "**" + f.level() + "**")
                            .append(": ")
                            .append(f.text())
                            .append('\n');
                }
            }
        }

        StringBuilder failures = new StringBuilder();
        for (SummaryTable.Row row : SummaryTable.rows(model.inputs())) {
            row.trial().counts().failureMessages().forEach((category, m) -> {
                for (dev.llmharness.runtime.result.TrialResult.FailureMessage one : m.messages()) {
                    failures.append("| `")
                            .append(cell(row.trial().id()))
                            .append("` | ")
                            .append(category)
                            .append(" | ")
                            .append(one.count())
                            .append(" | ")
                            .append(cell(one.message()))
                            .append(" |\n");
                }
                if (m.others() > 0) {
                    failures.append("| `")
                            .append(cell(row.trial().id()))
                            .append("` | ")
                            .append(category)
                            .append(" | ")
                            .append(m.others())
                            .append(" | (other messages) |\n");
                }
            });
        }
        if (failures.length() > 0) {
            md.append('\n')
                    .append(h2)
                    .append("Failures\n\n| trial | category | requests | message |\n|:--|:--|--:|:--|\n")
                    .append(failures);
        }

        StringBuilder warnings = new StringBuilder();
        for (SummaryTable.Row row : SummaryTable.rows(model.inputs())) {
            for (String w : row.trial().warnings()) {
                warnings.append("- `")
                        .append(cell(row.trial().id()))
                        .append('`')
                        .append(
                                model.inputs().size() > 1
                                        ? " (" + cell(row.input().label()) + ")"
                                        : "")
                        .append(": ")
                        .append(w)
                        .append('\n');
            }
        }
        if (warnings.length() > 0) {
            md.append('\n').append(h2).append("Warnings\n\n").append(warnings);
        }
        return md.toString();
    }

    private static void environment(StringBuilder md, ReportModel model) {
        for (ReportInput in : model.inputs()) {
            RunInfo r = in.result().run();
            TargetInfo t = in.result().target();
            md.append("- **")
                    .append(cell(in.label()))
                    .append("**")
                    .append(in.result().partial() ? " (partial: interrupted)" : "")
                    .append(": ")
                    .append(t == null ? "no target" : t.simulated() ? "embedded simulator" : cell(t.url()))
                    .append(t == null ? "" : ", " + t.api() + ", model " + cell(t.model()))
                    .append(t == null || t.serverVersion() == null ? "" : ", server " + cell(t.serverVersion()))
                    .append("; started ")
                    .append(r.startTime())
                    .append(" on ")
                    .append(cell(r.host()))
                    .append(" (")
                    .append(cell(r.os()))
                    .append(", ")
                    .append(r.cpuCount())
                    .append(" CPUs, ")
                    .append(cell(r.jvm()))
                    .append("), harness ")
                    .append(r.harnessVersion())
                    .append(
                            r.gitCommit() == null
                                    ? ""
                                    : ", commit "
                                            + r.gitCommit()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    12,
                                                                    r.gitCommit()
                                                                            .length()))
                                            + (Boolean.TRUE.equals(r.gitDirty()) ? " (dirty)" : ""))
                    .append('\n');
        }
    }

    /**
     * One table per sweep of each input (trials that differ only in their open-loop rate, as the
     * HTML report's sweep charts): offered, achieved, goodput, TTFT and E2E p50/p99 per point, the
     * point that holds the knee marked, and the knee's line.
     */
    private static void sweeps(StringBuilder md, ReportModel model, String h2) {
        for (ReportInput input : model.inputs()) {
            for (dev.llmharness.runtime.capacity.CapacityCurve c :
                    dev.llmharness.runtime.capacity.CapacityCurve.sweepsOf(
                            input.result().trials())) {
                md.append('\n')
                        .append(h2)
                        .append("Sweep `")
                        .append(cell(c.name()))
                        .append("` (")
                        .append(cell(input.label()))
                        .append(")\n\n");
                md.append("| offered req/s | achieved req/s | goodput req/s | TTFT p50 ms | TTFT p99 ms |")
                        .append(" E2E p50 ms | E2E p99 ms | SLO | |\n");
                md.append("|--:|--:|--:|--:|--:|--:|--:|:--|:--|\n");
                for (dev.llmharness.runtime.capacity.SweepPoint p : c.points()) {
                    md.append("| ")
                            .append(dev.llmharness.api.spi.TrialSpec.formatRate(p.offered()))
                            .append(" | ")
                            .append(Text.rate(p.achieved()))
                            .append(" | ")
                            .append(p.goodput() == null ? "-" : Text.rate(p.goodput()))
                            .append(" | ")
                            .append(Text.ms(p.ttftP50()))
                            .append(" | ")
                            .append(Text.ms(p.ttftP99()))
                            .append(" | ")
                            .append(Text.ms(p.e2eP50()))
                            .append(" | ")
                            .append(Text.ms(p.e2eP99()))
                            .append(" | ")
                            .append(p.sloPassed() ? "pass" : "**fail**")
                            .append(" | ")
                            .append(p == c.knee() ? "last held" : "")
                            .append(" |\n");
                }
                md.append('\n').append(cell(c.describe())).append('\n');
            }
        }
    }

    private static String sloCell(TrialResult t) {
        if (t.slo().isEmpty()) {
            return "none";
        }
        long failed = t.slo().stream().filter(v -> !v.passed()).count();
        return failed == 0 ? "pass" : "**fail** (" + failed + " of " + t.slo().size() + ")";
    }

    /** Text safe inside a table cell: pipes escaped, line breaks as spaces. */
    private static String cell(String s) {
        return s == null ? "-" : s.replace("|", "\\|").replace('\n', ' ');
    }
}
