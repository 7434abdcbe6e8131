package dev.llmharness.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code summary.csv} and {@code summary.json}: one row per trial and target, from one list of
 * columns. The column set is stable: columns are only ever added at the end, and {@code
 * docs/reports.md} lists them. A new figure is one more {@link Column}. Values are copied from the
 * result file unrounded, so every figure agrees with it; a value the trial does not have is an
 * empty CSV cell and a JSON {@code null}.
 */
public final class SummaryTable {
    /** Version of {@code summary.json}'s form; raised only when a column changes meaning. */
    public static final int SUMMARY_VERSION = 1;

    /**
     * One row: a trial of one input.
     *
     * @param input the result file it comes from
     * @param trial the trial
     */
    public record Row(ReportInput input, TrialResult trial) {}

    /**
     * One column.
     *
     * @param name header and JSON key, snake_case
     * @param cell the value for a row: a {@link String}, {@link Long}, {@link Double} or {@code null}
     */
    record Column(String name, Function<Row, Object> cell) {}

    static final List<Column> COLUMNS = List.of(
            new Column("target", r -> r.input().label()),
            new Column(
                    "model",
                    r -> r.input().result().target() == null
                            ? null
                            : r.input().result().target().model()),
            new Column("trial", r -> r.trial().id()),
            new Column("benchmark", r -> r.trial().benchmark()),
            new Column("requests", r -> r.trial().counts().sent()),
            new Column("completed", r -> r.trial().counts().completed()),
            new Column("failed", r -> r.trial().counts().failed()),
            new Column("cancelled", r -> r.trial().counts().cancelled()),
            new Column("success_rate", SummaryTable::successRate),
            new Column("error_rate", r -> r.trial().errorRate()),
            new Column("requests_per_second", r -> r.trial().throughput().requestsPerSecond()),
            new Column("mean_latency_ms", r -> stat(r, Metric.E2E.key(), MetricResult::mean)),
            new Column("stddev_latency_ms", r -> stat(r, Metric.E2E.key(), MetricResult::stddev)),
            new Column("p50_latency_ms", r -> stat(r, Metric.E2E.key(), MetricResult::p50)),
            new Column("p95_latency_ms", r -> stat(r, Metric.E2E.key(), MetricResult::p95)),
            new Column("p99_latency_ms", r -> stat(r, Metric.E2E.key(), MetricResult::p99)),
            new Column("mean_ttft_ms", r -> stat(r, Metric.TTFT.key(), MetricResult::mean)),
            new Column("p50_ttft_ms", r -> stat(r, Metric.TTFT.key(), MetricResult::p50)),
            new Column("p99_ttft_ms", r -> stat(r, Metric.TTFT.key(), MetricResult::p99)),
            new Column("mean_tpot_ms", r -> stat(r, Metric.TPOT.key(), MetricResult::mean)),
            new Column("p99_itl_ms", r -> stat(r, Metric.ITL.key(), MetricResult::p99)),
            new Column("output_tokens_per_second", r -> r.trial().throughput().outputTokensPerSecond()),
            new Column("total_tokens_per_second", r -> r.trial().throughput().totalTokensPerSecond()),
            new Column(
                    "goodput_requests_per_second", r -> r.trial().throughput().goodputRequestsPerSecond()),
            new Column("input_tokens", r -> r.trial().tokens().input()),
            new Column("output_tokens", r -> r.trial().tokens().output()),
            new Column(
                    "total_tokens",
                    r -> r.trial().tokens().input() + r.trial().tokens().output()),
            new Column("slo", SummaryTable::slo));

    private SummaryTable() {}

    /** The column names, in order. */
    public static List<String> columnNames() {
        return COLUMNS.stream().map(Column::name).toList();
    }

    /** Every trial of every input, input by input. */
    public static List<Row> rows(List<ReportInput> inputs) {
        List<Row> rows = new ArrayList<>();
        for (ReportInput in : inputs) {
            for (TrialResult t : in.result().trials()) {
                rows.add(new Row(in, t));
            }
        }
        return rows;
    }

    /** The CSV text: a header and one line per row. */
    public static String csv(List<Row> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(
                out,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader(columnNames().toArray(String[]::new))
                        .setRecordSeparator('\n')
                        .get())) {
            for (Row r : rows) {
                List<String> cells = new ArrayList<>();
                for (Column c : COLUMNS) {
                    Object v = c.cell().apply(r);
                    cells.add(v == null ? "" : String.valueOf(v));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The JSON text: {@code {"summaryVersion": 1, "columns": [...], "rows": [{...}, ...]}}. */
    public static String json(List<Row> rows) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("summaryVersion", SUMMARY_VERSION);
        ArrayNode columns = root.putArray("columns");
        columnNames().forEach(columns::add);
        ArrayNode out = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode row = out.addObject();
            for (Column c : COLUMNS) {
                Object v = c.cell().apply(r);
                if (v == null) {
                    row.putNull(c.name());
                } else if (v instanceof Long l) {
                    row.put(c.name(), l);
                } else if (v instanceof Double d) {
                    row.put(c.name(), d);
                } else {
                    row.put(c.name(), v.toString());
                }
            }
        }
        try {
            return ResultJson.mapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary does not serialise: " + e.getOriginalMessage(), e);
        }
    }

    private static Double successRate(Row r) {
        TrialResult.Counts c = r.trial().counts();
        return c.sent() == 0 ? null : (double) c.completed() / c.sent();
    }

    private static Double stat(Row r, String metric, Function<MetricResult, Double> f) {
        MetricResult m = r.trial().metrics().get(metric);
        return m == null ? null : f.apply(m);
    }

    /** {@code "pass"}, {@code "fail"}, or {@code "none"} when the trial has no objective. */
    private static String slo(Row r) {
        if (r.trial().slo().isEmpty()) {
            return "none";
        }
        return r.trial().slo().stream().allMatch(TrialResult.SloVerdict::passed) ? "pass" : "fail";
    }
}
