package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.result.RequestCsvWriter;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.FaultKind;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run records about each request and about its failures, through {@code llmh run} against
 * the simulator injecting faults: the result's failure messages, the console, the per-request CSV
 * with text, and the inter-token JSONL, all real files.
 */
class RequestRecordsEndToEndTest {
    @TempDir
    Path dir;

    private static SimServer sim;

    @BeforeAll
    static void startSimulator() {
        sim = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .faultRate(FaultKind.HTTP_500, 0.2)
                .faultRate(FaultKind.TRUNCATE, 0.2)
                .build());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void failuresTokensAndEveryRequestAreRecordedInTheResultTheCsvAndTheJsonl() throws Exception {
        TrialSpec trial = E2e.trial(
                "records",
                new ClosedLoopModel(2, Duration.ZERO),
                Phase.NONE,
                Phase.ofRequests(30),
                ShapeWorkload.of(ShapePreset.SHORT_SHORT, "cl100k_base"),
                SloSpec.NONE,
                11);
        Path result = dir.resolve("r.json");
        Path csv = dir.resolve("requests.csv");
        Path jsonl = dir.resolve("itl.jsonl");
        E2e.Outcome o = E2e.llmh(
                List.of(trial),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                result.toString(),
                "--csv",
                csv.toString(),
                "--csv-text",
                "40",
                "--itl-jsonl",
                jsonl.toString(),
                "--progress",
                "0s",
                "--no-fail-on-slo");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(0);

        // The result: why requests failed, in words, adding up to the counts.
        TrialResult t = ResultJson.read(result).trials().get(0);
        TrialResult.Counts c = t.counts();
        assertThat(c.sent()).isEqualTo(30);
        assertThat(c.failed()).as("20 %% HTTP 500 and 20 %% truncated of 30").isBetween(3L, 25L);
        c.failureMessages()
                .forEach((category, m) -> assertThat(m.messages().stream()
                                        .mapToLong(TrialResult.FailureMessage::count)
                                        .sum()
                                + m.others())
                        .isEqualTo(c.failures().get(category)));
        if (c.failures().get("http_5xx") > 0) {
            assertThat(c.failureMessages().get("http_5xx").messages())
                    .allSatisfy(m -> assertThat(m.message()).startsWith("HTTP 500"));
            assertThat(o.out()).contains("failure messages:").containsPattern("http_5xx +\\d+  HTTP 500");
        }
        // The simulator counts prompts with the trial's encoding: intended and server agree.
        assertThat(t.tokens().serverInput()).isEqualTo(t.tokens().intendedInput());
        assertThat(t.tokens().serverOutput()).isEqualTo(t.tokens().output());
        assertThat(t.warnings()).noneMatch(w -> w.contains("the workload intended"));

        // The CSV: one row per request, the documented columns plus the text, every field filled.
        List<CSVRecord> rows;
        List<String> header;
        try (Reader in = Files.newBufferedReader(csv)) {
            var parser = CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in);
            header = parser.getHeaderNames();
            rows = parser.getRecords();
        }
        List<String> expectedHeader = new ArrayList<>(RequestCsvWriter.COLUMNS);
        expectedHeader.addAll(RequestCsvWriter.TEXT_COLUMNS);
        assertThat(header).isEqualTo(expectedHeader);
        assertThat(rows).hasSize(30);
        Map<String, Long> byStatus =
                rows.stream().collect(Collectors.groupingBy(r -> r.get("status"), Collectors.counting()));
        assertThat(byStatus.getOrDefault("completed", 0L)).isEqualTo(c.completed());
        assertThat(byStatus.getOrDefault("failed", 0L)).isEqualTo(c.failed());
        for (CSVRecord r : rows) {
            assertThat(r.get("worker")).isIn("0", "1");
            assertThat(r.get("intended_input_tokens")).isNotEmpty();
            assertThat(r.get("intended_output_tokens")).isNotEmpty();
            assertThat(r.get("prompt_text")).isNotEmpty().hasSizeLessThanOrEqualTo(40);
            double intended = Double.parseDouble(r.get("intended_start_epoch_ms"));
            double sent = Double.parseDouble(r.get("sent_epoch_ms"));
            double end = Double.parseDouble(r.get("end_epoch_ms"));
            assertThat(sent).isGreaterThanOrEqualTo(intended);
            assertThat(end).isGreaterThanOrEqualTo(sent);
            if (r.get("status").equals("completed")) {
                assertThat(r.get("http_status")).isEqualTo("200");
                assertThat(r.get("error_message")).isEmpty();
                assertThat(r.get("server_input_tokens")).isEqualTo(r.get("intended_input_tokens"));
                assertThat(r.get("client_input_tokens")).isEqualTo(r.get("intended_input_tokens"));
                assertThat(r.get("input_tokens")).isEqualTo(r.get("server_input_tokens"));
                assertThat(r.get("server_output_tokens")).isEqualTo(r.get("output_tokens"));
                assertThat(r.get("response_text")).isNotEmpty().hasSizeLessThanOrEqualTo(40);
                assertThat(Double.parseDouble(r.get("first_token_epoch_ms"))).isBetween(sent, end);
            } else {
                assertThat(r.get("error_category")).isIn("http_5xx", "stream_truncated");
                assertThat(r.get("error_message")).isNotEmpty();
                assertThat(r.get("input_tokens"))
                        .as("a failed request has no input count in the metrics' column")
                        .isEmpty();
                if (r.get("error_category").equals("http_5xx")) {
                    assertThat(r.get("http_status")).isEqualTo("500");
                    assertThat(r.get("error_message")).startsWith("HTTP 500");
                }
            }
        }

        // The JSONL: one line per request, with content_events - 1 gaps each.
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(30);
        Map<String, CSVRecord> byId =
                rows.stream().collect(Collectors.toMap(r -> r.get("request_id"), r -> r, (a, b) -> a));
        long gaps = 0;
        for (String line : lines) {
            JsonNode n = ResultJson.mapper().readTree(line);
            CSVRecord row = byId.get(n.get("request_id").asText());
            assertThat(n.get("trial_id").asText()).isEqualTo(t.id());
            assertThat(n.get("status").asText()).isEqualTo(row.get("status"));
            int events = Integer.parseInt(row.get("content_events"));
            assertThat(n.get("itl_ms").size()).isEqualTo(Math.max(0, events - 1));
            n.get("itl_ms").forEach(g -> assertThat(g.asDouble()).isGreaterThan(0));
            if (row.get("status").equals("completed")) {
                gaps += n.get("itl_ms").size();
            }
        }
        assertThat(gaps)
                .as("the result's ITL histogram holds the completed requests' gaps")
                .isEqualTo(t.metrics().get("itl").count());
    }

    @Test
    void csvTextWithoutACsvIsOneClearLineAndExitTwo() {
        TrialSpec trial = E2e.trial(
                "text",
                new ClosedLoopModel(1, Duration.ZERO),
                Phase.NONE,
                Phase.ofRequests(1),
                ShapeWorkload.of(ShapePreset.SHORT_SHORT, "cl100k_base"),
                SloSpec.NONE,
                11);
        E2e.Outcome o = E2e.llmh(List.of(trial), "run", "--url", sim.baseUrl(), "--csv-text", "40");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).contains("--csv-text").contains("--csv FILE").doesNotContain("Exception");
    }
}
