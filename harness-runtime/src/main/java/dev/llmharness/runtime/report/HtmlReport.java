package dev.llmharness.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.compare.MetricComparison;
import dev.llmharness.runtime.compare.TrialComparison;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The self-contained HTML report: one file with its styles, uPlot (from the {@code
 * org.webjars.npm:uplot} WebJar), the chart data as JSON and a small script, so that it opens
 * offline from disk and attaches to a CI run. Tables are static HTML (readable without
 * scripts); the charts are drawn by {@code report.js} from {@link ReportModel#charts()}.
 */
final class HtmlReport {
    /** The uPlot version inlined; the WebJar of the same version must be on the class path. */
    static final String UPLOT_VERSION = "1.6.30";

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final String OWN = "/dev/llmharness/runtime/report/";
    private static final List<String> LATENCY_ROWS = Stream.of(
                    Metric.TTFT, Metric.TTFT_FROM_SEND, Metric.ITL, Metric.TPOT, Metric.E2E, Metric.DISPATCH_LAG)
            .map(Metric::key)
            .toList();

    private HtmlReport() {}

    static String render(ReportModel model) {
        StringBuilder h = new StringBuilder(256 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<title>LLM Harness report: ").append(esc(title(model))).append("</title>\n");
        h.append("<style>\n")
                .append(resource(UPLOT + "uPlot.min.css"))
                .append('\n')
                .append(resource(OWN + "report.css"))
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>LLM Harness report</h1>\n<p class=\"muted\">")
                .append(esc(title(model)))
                .append("</p>\n");
        List<String> ids = model.trialIds();
        h.append("<nav><a href=\"#environment\">Environment</a><a href=\"#summary\">Summary</a>");
        if (!model.comparisons().isEmpty()) {
            h.append("<a href=\"#comparison\">Comparison</a>");
        }
        h.append("<a href=\"#analysis\">Automatic Analysis</a>");
        if (!model.sweeps().isEmpty()) {
            h.append("<a href=\"#sweeps\">Sweeps</a>");
        }
        for (int i = 0; i < ids.size(); i++) {
            h.append("<a href=\"#trial-")
                    .append(i)
                    .append("\">")
                    .append(esc(shortId(ids.get(i))))
                    .append("</a>");
        }
        h.append("</nav>\n");
        environment(h, model);
        summary(h, model);
        h.append(dev.llmharness.runtime.observe.ObservedTables.html(SummaryTable.rows(model.inputs()).stream()
                .map(r -> new dev.llmharness.runtime.observe.ObservedTables.Row(
                        r.input().label(), r.trial()))
                .toList()));
        comparison(h, model);
        analysis(h, model);
        sweeps(h, model);
        for (int i = 0; i < ids.size(); i++) {
            trial(h, model, i, ids.get(i));
        }
        h.append("<script type=\"application/json\" id=\"llmh-data\">")
                .append(json(model))
                .append("</script>\n");
        h.append("<script>\n").append(resource(UPLOT + "uPlot.iife.min.js")).append("\n</script>\n");
        h.append("<script>\n").append(resource(OWN + "report.js")).append("</script>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String title(ReportModel model) {
        StringBuilder t = new StringBuilder();
        for (ReportInput in : model.inputs()) {
            if (t.length() > 0) {
                t.append(" vs ");
            }
            t.append(in.label());
        }
        RunInfo first = model.inputs().get(0).result().run();
        return t + (first == null || first.startTime() == null ? "" : ", " + first.startTime());
    }

    private static void environment(StringBuilder h, ReportModel model) {
        h.append("<section id=\"environment\">\n<h2>Environment</h2>\n<table>\n<tr>")
                .append(th("input", true))
                .append(th("started", true))
                .append(th("target", true))
                .append(th("machine", true))
                .append(th("harness", true))
                .append("</tr>\n");
        for (ReportInput in : model.inputs()) {
            RunInfo r = in.result().run();
            TargetInfo t = in.result().target();
            String target = t == null
                    ? null
                    : (t.simulated() ? t.url() + " (simulator)" : t.url()) + ", " + t.api() + ", model " + t.model()
                            + (t.serverVersion() == null ? "" : ", server " + t.serverVersion());
            String machine = r.host() + ", " + r.os() + ", " + r.cpuCount() + " CPUs, " + r.jvm();
            String harness = r.harnessVersion()
                    + (r.gitCommit() == null
                            ? ""
                            : ", commit "
                                    + r.gitCommit()
                                            .substring(
                                                    0,
                                                    Math.min(12, r.gitCommit().length()))
                                    + (Boolean.TRUE.equals(r.gitDirty()) ? " (dirty)" : ""));
            h.append("<tr>")
                    .append(tdl(in.label() + (in.result().partial() ? " (partial)" : "")))
                    .append(tdl(r.startTime()))
                    .append(tdl(target))
                    .append(tdl(machine))
                    .append(tdl(harness))
                    .append("</tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void summary(StringBuilder h, ReportModel model) {
        h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr>")
                .append(th("input", true))
                .append(th("trial", true))
                .append(th("requests", false))
                .append(th("success", false))
                .append(th("req/s", false))
                .append(th("output tok/s", false))
                .append(th("TTFT p50 ms", false))
                .append(th("TTFT p99 ms", false))
                .append(th("E2E mean ms", false))
                .append(th("E2E p50 ms", false))
                .append(th("E2E p95 ms", false))
                .append(th("E2E p99 ms", false))
                .append(th("SLO", true))
                .append("</tr>\n");
        List<String> ids = model.trialIds();
        for (SummaryTable.Row row : SummaryTable.rows(model.inputs())) {
            TrialResult t = row.trial();
            MetricResult e2e = t.metrics().get(Metric.E2E.key());
            MetricResult ttft = t.metrics().get(Metric.TTFT.key());
            String slo = t.slo().isEmpty()
                    ? "none"
                    : t.slo().stream().allMatch(TrialResult.SloVerdict::passed) ? "pass" : "fail";
            h.append("<tr>")
                    .append(tdl(row.input().label()))
                    .append("<td class=\"l\"><a href=\"#trial-")
                    .append(ids.indexOf(t.id()))
                    .append("\">")
                    .append(esc(t.id()))
                    .append("</a></td>")
                    .append(td(String.valueOf(t.counts().sent())))
                    .append(td(
                            t.counts().sent() == 0
                                    ? "-"
                                    : Analysis.percent((double) t.counts().completed()
                                            / t.counts().sent())))
                    .append(td(Text.rate(t.throughput().requestsPerSecond())))
                    .append(td(Text.rate(t.throughput().outputTokensPerSecond())))
                    .append(td(Text.ms(ttft == null ? null : ttft.p50())))
                    .append(td(Text.ms(ttft == null ? null : ttft.p99())))
                    .append(td(Text.ms(e2e == null ? null : e2e.mean())))
                    .append(td(Text.ms(e2e == null ? null : e2e.p50())))
                    .append(td(Text.ms(e2e == null ? null : e2e.p95())))
                    .append(td(Text.ms(e2e == null ? null : e2e.p99())))
                    .append("<td class=\"l ")
                    .append(slo)
                    .append("\">")
                    .append(slo)
                    .append("</td>")
                    .append("</tr>\n");
        }
        h.append("</table>\n<p class=\"muted\">Also as <a href=\"summary.csv\">summary.csv</a> and <a")
                .append(" href=\"summary.json\">summary.json</a> beside this file.</p>\n</section>\n");
    }

    private static void comparison(StringBuilder h, ReportModel model) {
        if (model.comparisons().isEmpty()) {
            return;
        }
        h.append("<section id=\"comparison\">\n<h2>Comparison</h2>\n");
        for (ComparisonReport c : model.comparisons()) {
            h.append("<h3>")
                    .append(esc(String.join(", ", c.baseSources())))
                    .append(" (base) vs ")
                    .append(esc(String.join(", ", c.contenderSources())))
                    .append("</h3>\n<table>\n<tr>")
                    .append(th("trial", true))
                    .append(th("metric", true))
                    .append(th("base", false))
                    .append(th("contender", false))
                    .append(th("change", false))
                    .append(th("verdict", true))
                    .append("</tr>\n");
            for (TrialComparison t : c.trials()) {
                for (MetricComparison m : t.metrics()) {
                    h.append("<tr>")
                            .append(tdl(t.id()))
                            .append(tdl(m.metric() + (m.gated() ? " (gated)" : "")))
                            .append(td(Text.value(m.base(), m.unit())))
                            .append(td(Text.value(m.contender(), m.unit())))
                            .append(td(Text.change(m)))
                            .append("<td class=\"l ")
                            .append(m.verdict().name())
                            .append("\" title=\"")
                            .append(esc(m.reason()))
                            .append("\">")
                            .append(esc(m.verdict().label()))
                            .append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
            if (!c.onlyInBase().isEmpty() || !c.onlyInContender().isEmpty()) {
                h.append("<p class=\"muted\">Not compared: ")
                        .append(esc(String.join(", ", c.onlyInBase())))
                        .append(c.onlyInBase().isEmpty() || c.onlyInContender().isEmpty() ? "" : "; ")
                        .append(esc(String.join(", ", c.onlyInContender())))
                        .append("</p>\n");
            }
            for (String d : c.environmentDifferences()) {
                h.append("<p class=\"muted\">Environment differs: ")
                        .append(esc(d))
                        .append("</p>\n");
            }
        }
        h.append("</section>\n");
    }

    private static void analysis(StringBuilder h, ReportModel model) {
        h.append("<section id=\"analysis\">\n<h2>Automatic Analysis</h2>\n");
        for (int i = 0; i < model.inputs().size(); i++) {
            for (Map.Entry<String, List<Analysis.Finding>> e :
                    model.findingsByTrial(i).entrySet()) {
                h.append("<h3>")
                        .append(esc(e.getKey()))
                        .append(
                                model.inputs().size() > 1
                                        ? " · " + esc(model.inputs().get(i).label())
                                        : "")
                        .append("</h3>\n<ul class=\"findings\">\n");
                for (Analysis.Finding f : e.getValue()) {
                    h.append("<li><span class=\"")
                            .append(f.level())
                            .append("\">")
                            .append(f.level())
                            .append("</span> ")
                            .append(esc(f.text()))
                            .append("</li>\n");
                }
                h.append("</ul>\n");
            }
        }
        h.append("<p class=\"muted\">Limits and how to change them: docs/reports.md.</p>\n</section>\n");
    }

    private static void trial(StringBuilder h, ReportModel model, int index, String id) {
        List<ChartData.Part> parts = model.parts(id);
        TrialResult first = parts.get(0).trial();
        h.append("<section class=\"trial\" id=\"trial-")
                .append(index)
                .append("\">\n<h2>")
                .append(esc(id))
                .append("</h2>\n<div class=\"tables\">\n");
        h.append("<p class=\"facts\">Load: ")
                .append(esc(Text.load(first.load())))
                .append(" · Workload: ")
                .append(esc(first.workload() == null ? "-" : first.workload().description()))
                .append(" · Window: warmup ")
                .append(Text.seconds(first.window().warmupSeconds()))
                .append(", measurement ")
                .append(Text.seconds(first.window().measurementSeconds()))
                .append(", drain ")
                .append(Text.seconds(first.window().drainSeconds()))
                .append(" · Seed ")
                .append(first.seed())
                .append("</p>\n");

        h.append("<h3>Requests and throughput</h3>\n<table>\n<tr>")
                .append(th("input", true))
                .append(th("sent", false))
                .append(th("completed", false))
                .append(th("failed", false))
                .append(th("cancelled", false))
                .append(th("error rate", false))
                .append(th("req/s", false))
                .append(th("output tok/s", false))
                .append(th("total tok/s", false))
                .append(th("goodput req/s", false))
                .append(th("tokens in / out", false))
                .append("</tr>\n");
        for (ChartData.Part p : parts) {
            TrialResult t = p.trial();
            h.append("<tr>")
                    .append(tdl(p.label()))
                    .append(td(String.valueOf(t.counts().sent())))
                    .append(td(String.valueOf(t.counts().completed())))
                    .append(td(String.valueOf(t.counts().failed())))
                    .append(td(String.valueOf(t.counts().cancelled())))
                    .append(td(t.errorRate() == null ? "-" : Analysis.percent(t.errorRate())))
                    .append(td(Text.rate(t.throughput().requestsPerSecond())))
                    .append(td(Text.rate(t.throughput().outputTokensPerSecond())))
                    .append(td(Text.rate(t.throughput().totalTokensPerSecond())))
                    .append(td(
                            t.throughput().goodputRequestsPerSecond() == null
                                    ? "-"
                                    : Text.rate(t.throughput().goodputRequestsPerSecond())))
                    .append(td(t.tokens().input() + " / " + t.tokens().output()))
                    .append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h3>Latency (ms)</h3>\n<table>\n<tr>")
                .append(th("input", true))
                .append(th("metric", true));
        for (String c : new String[] {"count", "mean", "stddev", "p50", "p90", "p95", "p99", "p99.9", "max"}) {
            h.append(th(c, false));
        }
        h.append("</tr>\n");
        for (ChartData.Part p : parts) {
            for (String name : LATENCY_ROWS) {
                MetricResult m = p.trial().metrics().get(name);
                if (m == null) {
                    continue;
                }
                h.append("<tr data-metric=\"")
                        .append(name)
                        .append("\">")
                        .append(tdl(p.label()))
                        .append(tdl(name))
                        .append(td(String.valueOf(m.count())));
                for (Double v :
                        new Double[] {m.mean(), m.stddev(), m.p50(), m.p90(), m.p95(), m.p99(), m.p999(), m.max()}) {
                    h.append(td(Text.ms(v)));
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");

        boolean anySlo = parts.stream().anyMatch(p -> !p.trial().slo().isEmpty());
        if (anySlo) {
            h.append("<h3>SLO verdicts</h3>\n<table>\n<tr>")
                    .append(th("input", true))
                    .append(th("objective", true))
                    .append(th("actual", false))
                    .append(th("verdict", true))
                    .append("</tr>\n");
            for (ChartData.Part p : parts) {
                for (TrialResult.SloVerdict v : p.trial().slo()) {
                    String verdict = v.passed() ? "PASS" : "FAIL";
                    h.append("<tr>")
                            .append(tdl(p.label()))
                            .append(tdl(v.objective()))
                            .append(td(
                                    v.actual() == null
                                            ? "not measured"
                                            : v.onShare() ? Analysis.percent(v.actual()) : Text.ms(v.actual()) + " ms"))
                            .append("<td class=\"l ")
                            .append(verdict)
                            .append("\">")
                            .append(verdict)
                            .append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }

        h.append("<h3>Failures</h3>\n");
        boolean anyFailure = false;
        for (ChartData.Part p : parts) {
            TrialResult t = p.trial();
            if (t.counts().failed() == 0 && t.counts().cancelled() == 0) {
                continue;
            }
            anyFailure = true;
            h.append("<table>\n<tr>")
                    .append(th("input", true))
                    .append(th("category", true))
                    .append(th("requests", false))
                    .append(th("messages (count)", true))
                    .append("</tr>\n");
            for (Map.Entry<String, Long> f : t.counts().failures().entrySet()) {
                if (f.getValue() > 0) {
                    h.append("<tr>")
                            .append(tdl(p.label()))
                            .append(tdl(f.getKey()))
                            .append(td(String.valueOf(f.getValue())))
                            .append("<td class=\"l msg\">")
                            .append(messages(t.counts().failureMessages().get(f.getKey())))
                            .append("</td></tr>\n");
                }
            }
            if (t.counts().cancelled() > 0) {
                h.append("<tr>")
                        .append(tdl(p.label()))
                        .append(tdl("cancelled"))
                        .append(td(String.valueOf(t.counts().cancelled())))
                        .append(tdl("in flight at the drain timeout, or interrupted"))
                        .append("</tr>\n");
            }
            h.append("</table>\n");
        }
        if (!anyFailure) {
            h.append("<p>No request failed or was cancelled.</p>\n");
        }
        for (ChartData.Part p : parts) {
            for (String w : p.trial().warnings()) {
                h.append("<p class=\"WARNING\">WARNING ")
                        .append(parts.size() > 1 ? esc(p.label()) + ": " : "")
                        .append(esc(w))
                        .append("</p>\n");
            }
        }

        h.append("</div>\n");
        List<Chart> charts = ChartData.trialCharts("t" + index + "-", parts);
        h.append("<h3>Distributions</h3>\n<div class=\"charts distributions\">\n");
        for (Chart c : charts) {
            if (!c.kind().equals("time")) {
                h.append("<div class=\"chart\" id=\"chart-").append(c.id()).append("\"></div>\n");
            }
        }
        h.append("</div>\n<h3>Over time</h3>\n<div class=\"charts timeline\">\n");
        for (Chart c : charts) {
            if (c.kind().equals("time")) {
                h.append("<div class=\"chart\" id=\"chart-").append(c.id()).append("\"></div>\n");
            }
        }
        h.append("</div>\n</section>\n");
    }

    /** Each sweep: its knee per input, latency and throughput against the offered rate. */
    private static void sweeps(StringBuilder h, ReportModel model) {
        Map<String, List<ChartData.SweepPart>> sweeps = model.sweeps();
        if (sweeps.isEmpty()) {
            return;
        }
        h.append("<section id=\"sweeps\">\n<h2>Sweeps</h2>\n");
        int k = 0;
        for (Map.Entry<String, List<ChartData.SweepPart>> e : sweeps.entrySet()) {
            h.append("<h3>").append(esc(e.getKey())).append("</h3>\n");
            for (ChartData.SweepPart p : e.getValue()) {
                h.append("<p class=\"knee\">")
                        .append(e.getValue().size() > 1 ? esc(p.label()) + ": " : "")
                        .append(esc(p.curve().describe()))
                        .append("</p>\n");
            }
            h.append("<div class=\"charts sweep\">\n");
            for (Chart c : ChartData.sweepCharts("s" + k + "-", e.getValue())) {
                h.append("<div class=\"chart\" id=\"chart-").append(c.id()).append("\"></div>\n");
            }
            h.append("</div>\n");
            k++;
        }
        h.append(
                "<p class=\"muted\">The knee is the highest rate up to which every point met its SLOs, kept up"
                        + " with the offered rate and kept its median latency within 2× the lowest rate's (docs/load.md).</p>\n");
        h.append("</section>\n");
    }

    /** A category's distinct messages with their counts, one per line, the example as a tooltip. */
    private static String messages(TrialResult.FailureMessages m) {
        if (m == null || (m.messages().isEmpty() && m.others() == 0)) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (TrialResult.FailureMessage one : m.messages()) {
            if (b.length() > 0) {
                b.append("<br>");
            }
            b.append("<span title=\"")
                    .append(esc(one.example()))
                    .append("\">")
                    .append(esc(one.message()))
                    .append("</span> (")
                    .append(one.count())
                    .append(')');
        }
        if (m.others() > 0) {
            b.append(b.length() > 0 ? "<br>" : "").append(m.others()).append(" more with other messages");
        }
        return b.toString();
    }

    private static String json(ReportModel model) {
        try {
            String json = ResultJson.mapper()
                    .writer()
                    .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("charts", model.charts()));
            // Inside <script>, "</" would end the element early.
            return json.replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data does not serialise: " + e.getOriginalMessage(), e);
        }
    }

    private static String shortId(String id) {
        int dot = id.lastIndexOf('.', id.indexOf('{') < 0 ? id.length() : id.indexOf('{'));
        return dot < 0 ? id : id.substring(dot + 1);
    }

    static String resource(String path) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the class path: the HTML report"
                        + " needs org.webjars.npm:uplot:" + UPLOT_VERSION + " and the harness's own report resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }

    private static String th(String text, boolean left) {
        return (left ? "<th class=\"l\">" : "<th>") + esc(text) + "</th>";
    }

    private static String td(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    private static String tdl(String text) {
        return "<td class=\"l\">" + esc(text) + "</td>";
    }

    static String esc(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
