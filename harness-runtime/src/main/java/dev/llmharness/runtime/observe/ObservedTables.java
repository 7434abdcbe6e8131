package dev.llmharness.runtime.observe;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.Cost;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ServerMetrics;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The report's tables of what observability added to trials: the server's metrics beside the
 * client's TTFT, and the cost. Rows are built once and rendered as Markdown or HTML.
 */
public final class ObservedTables {
    private ObservedTables() {}

    /** A trial of an input, as the report lists it. */
    public record Row(String input, TrialResult trial) {}

    private static final List<String> SERVER_HEADER = List.of(
            "input",
            "trial",
            "engine",
            "running max",
            "waiting max",
            "KV cache max",
            "prefix hit",
            "server TTFT p50 ms",
            "server TTFT p99 ms",
            "client TTFT p50 ms",
            "client - server p50 ms",
            "scrapes");

    private static final List<String> COST_HEADER = List.of(
            "input",
            "trial",
            "allocation",
            "cost/hour",
            "per 1M output tokens",
            "per 1k requests",
            "output tokens per 1");

    /** The server table's cells, one list per trial with server metrics. */
    static List<List<String>> serverRows(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            ServerMetrics s = r.trial().server();
            if (s == null) {
                continue;
            }
            MetricResult clientTtft = r.trial().metrics().get(Metric.TTFT.key());
            out.add(List.of(
                    r.input(),
                    r.trial().id(),
                    s.engines().isEmpty() ? "-" : String.join("+", s.engines()),
                    number(max(s, "running"), 0),
                    number(max(s, "waiting"), 0),
                    percent(max(s, "kvCacheUsage")),
                    percent(mean(s, "prefixCacheHitRate")),
                    number(s.ttft() == null ? null : s.ttft().p50(), 1),
                    number(s.ttft() == null ? null : s.ttft().p99(), 1),
                    number(clientTtft == null ? null : clientTtft.p50(), 1),
                    number(
                            s.ttftClientMinusServer() == null
                                    ? null
                                    : s.ttftClientMinusServer().p50(),
                            1),
                    s.scrapes() + (s.failedScrapes() > 0 ? " (" + s.failedScrapes() + " failed)" : "")));
        }
        return out;
    }

    /** The cost table's cells, one list per priced trial. */
    static List<List<String>> costRows(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            Cost c = r.trial().cost();
            if (c == null) {
                continue;
            }
            out.add(List.of(
                    r.input(),
                    r.trial().id(),
                    c.allocation(),
                    number(c.costPerHour(), 4),
                    number(c.costPerMillionOutputTokens(), 4),
                    number(c.costPerThousandRequests(), 4),
                    number(c.outputTokensPerDollar(), 0)));
        }
        return out;
    }

    /** The Markdown sections, or an empty string when no trial has server metrics or a cost. */
    public static String markdown(List<Row> rows, String heading) {
        StringBuilder md = new StringBuilder();
        List<List<String>> server = serverRows(rows);
        if (!server.isEmpty()) {
            md.append('\n').append(heading).append("Server metrics\n\n");
            md.append("What the server's own /metrics said during each trial, beside the client's TTFT;")
                    .append(" a positive difference is time spent before the server's clock starts (its HTTP")
                    .append(" queue, the network).\n\n");
            table(md, SERVER_HEADER, server);
        }
        List<List<String>> cost = costRows(rows);
        if (!cost.isEmpty()) {
            md.append('\n').append(heading).append("Cost\n\n");
            table(md, COST_HEADER, cost);
        }
        return md.toString();
    }

    private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            md.append(i < 3 ? ":--|" : "--:|");
        }
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i).replace("|", "\\|");
                md.append(i == 1 ? "`" + cell + "`" : cell).append(i + 1 < row.size() ? " | " : " |\n");
            }
        }
    }

    /** The HTML sections, or an empty string. */
    public static String html(List<Row> rows) {
        StringBuilder h = new StringBuilder();
        List<List<String>> server = serverRows(rows);
        if (!server.isEmpty()) {
            h.append("<section id=\"server-metrics\">\n<h2>Server metrics</h2>\n")
                    .append("<p class=\"muted\">What the server's own /metrics said during each trial, beside the")
                    .append(" client's TTFT; a positive difference is time spent before the server's clock starts")
                    .append(" (its HTTP queue, the network).</p>\n");
            htmlTable(h, SERVER_HEADER, server);
            h.append("</section>\n");
        }
        List<List<String>> cost = costRows(rows);
        if (!cost.isEmpty()) {
            h.append("<section id=\"cost\">\n<h2>Cost</h2>\n");
            htmlTable(h, COST_HEADER, cost);
            h.append("</section>\n");
        }
        return h.toString();
    }

    private static void htmlTable(StringBuilder h, List<String> header, List<List<String>> rows) {
        h.append("<table>\n<tr>");
        for (String c : header) {
            h.append("<th>").append(escape(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                h.append(i < 3 ? "<td>" : "<td class=\"num\">")
                        .append(escape(row.get(i)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Double max(ServerMetrics s, String concept) {
        List<Double> v = s.series().get(concept);
        return v == null
                ? null
                : v.stream().filter(Objects::nonNull).max(Double::compare).orElse(null);
    }

    private static Double mean(ServerMetrics s, String concept) {
        List<Double> v = s.series().get(concept);
        if (v == null) {
            return null;
        }
        return v.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).average().stream()
                .boxed()
                .findFirst()
                .orElse(null);
    }

    static String number(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }
}
