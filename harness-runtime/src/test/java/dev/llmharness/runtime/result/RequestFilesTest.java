package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-request CSV and the inter-token JSONL, written to real files. */
class RequestFilesTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    /** A measured request with {@code events} content events 20 ms apart, completed or failed. */
    static RequestTiming request(long index, int events, boolean fail) {
        long t0 = 1_000_000_000L + index * MS;
        RequestTiming t = new RequestTiming(index, t0, true);
        t.setRequested(128, 128, true);
        t.keepText(40);
        t.setPromptText("a prompt, with a comma and a \"quote\"\nand a second line " + index);
        t.markSent(t0 + MS / 10);
        t.setHttpStatus(200);
        for (int i = 0; i < events; i++) {
            t.onContentEvent(t0 + 30 * MS + i * 20 * MS, 1);
            t.appendResponseText("word" + i + " ");
        }
        if (fail) {
            t.fail(t0 + (40 + events * 20) * MS, FailureCategory.STREAM_TRUNCATED, "request " + index + " cut");
        } else {
            t.onUsage(131, events);
            t.complete(t0 + (40 + events * 20) * MS);
        }
        return t;
    }

    @Test
    void writersKeepNoRequestOnceItIsWritten() {
        // Flat heap for any number of requests means: once written, a request is unreachable from
        // the writers. Checked with weak references, not with timings or heap sizes.
        int n = 10_000;
        List<WeakReference<RequestTiming>> written = new ArrayList<>();
        try (RequestSink sink = RequestSink.all(List.of(
                RequestCsvWriter.open(dir.resolve("r.csv"), 40), ItlJsonlWriter.open(dir.resolve("itl.jsonl"))))) {
            for (int i = 0; i < n; i++) {
                RequestTiming t = request(i, 64, i % 10 == 0);
                sink.write("T", t);
                written.add(new WeakReference<>(t));
            }
            for (int attempt = 0; attempt < 20 && written.stream().anyMatch(w -> w.get() != null); attempt++) {
                System.gc();
            }
            assertThat(written.stream().filter(w -> w.get() != null).count())
                    .as("requests still reachable after being written")
                    .isZero();
        }
    }

    @Test
    void everyRequestIsOneRowAndOneLineWithTextQuotedAndCut() throws Exception {
        Path csv = dir.resolve("r.csv");
        Path jsonl = dir.resolve("itl.jsonl");
        try (RequestSink sink = RequestSink.all(List.of(RequestCsvWriter.open(csv, 40), ItlJsonlWriter.open(jsonl)))) {
            assertThat(sink.textChars()).isEqualTo(40);
            sink.write("T", request(0, 3, false));
            sink.write("T", request(1, 2, true));
        }
        List<org.apache.commons.csv.CSVRecord> rows;
        try (var in = Files.newBufferedReader(csv)) {
            rows = org.apache.commons.csv.CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)
                    .getRecords();
        }
        assertThat(rows).hasSize(2);
        var ok = rows.get(0);
        assertThat(ok.get("status")).isEqualTo("completed");
        assertThat(ok.get("ttft_ms")).isEqualTo("30.000");
        assertThat(ok.get("dispatch_lag_ms")).isEqualTo("0.100");
        assertThat(ok.get("content_events")).isEqualTo("3");
        assertThat(ok.get("intended_input_tokens")).isEqualTo("128");
        assertThat(ok.get("server_input_tokens")).isEqualTo("131");
        assertThat(ok.get("input_tokens")).isEqualTo("131");
        assertThat(ok.get("server_output_tokens")).isEqualTo("3");
        assertThat(ok.get("counted_output_tokens")).isEqualTo("3");
        assertThat(ok.get("exact_output")).isEqualTo("true");
        assertThat(ok.get("prompt_text")).isEqualTo("a prompt, with a comma and a \"quote\"\nand");
        assertThat(ok.get("response_text")).isEqualTo("word0 word1 word2 ");
        double sent = Double.parseDouble(ok.get("sent_epoch_ms"));
        assertThat(Double.parseDouble(ok.get("first_token_epoch_ms")) - sent)
                .isCloseTo(29.9, org.assertj.core.data.Offset.offset(0.002));
        var failed = rows.get(1);
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("error_category")).isEqualTo("stream_truncated");
        assertThat(failed.get("error_message")).isEqualTo("request 1 cut");
        assertThat(failed.get("input_tokens")).isEmpty();
        assertThat(failed.get("intended_input_tokens")).isEqualTo("128");
        assertThat(failed.get("server_input_tokens")).isEmpty();

        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(2);
        var first = ResultJson.mapper().readTree(lines.get(0));
        assertThat(first.get("itl_ms").toString()).isEqualTo("[20.0,20.0]");
        assertThat(first.get("ttft_ms").asDouble()).isEqualTo(30.0);
        assertThat(first.get("output_tokens").asInt()).isEqualTo(3);
        var second = ResultJson.mapper().readTree(lines.get(1));
        assertThat(second.get("status").asText()).isEqualTo("failed");
        assertThat(second.get("error_category").asText()).isEqualTo("stream_truncated");
        assertThat(second.get("output_tokens").isNull()).isTrue();
        assertThat(second.get("itl_ms").size()).isEqualTo(1);
    }

    @Test
    void aFileThatCannotBeWrittenNeverFailsARequestAndCloseSaysWhatWasLost() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        RequestCsvWriter csv = RequestCsvWriter.open(full);
        ItlJsonlWriter jsonl = ItlJsonlWriter.open(full);
        assertThatCode(() -> {
                    for (int i = 0; i < 200; i++) {
                        csv.write("T", request(i, 8, false));
                        jsonl.write("T", request(i, 8, false));
                    }
                })
                .doesNotThrowAnyException();
        assertThatThrownBy(csv::close)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("the request CSV /dev/full is incomplete")
                .hasMessageContaining("rows lost");
        assertThatThrownBy(jsonl::close)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("the inter-token file /dev/full is incomplete");
    }

    @Test
    void theCsvColumnsAreExactlyTheOnesDocumented() throws Exception {
        String doc = Files.readString(Path.of("../docs/metrics.md"));
        int start = doc.indexOf("## 8. Per-request CSV");
        int end = doc.indexOf("\n## ", start + 1);
        Set<String> documented = new LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(doc.substring(start, end));
        while (row.find()) {
            documented.add(row.group(1));
        }
        List<String> all = new ArrayList<>(RequestCsvWriter.COLUMNS);
        all.addAll(RequestCsvWriter.TEXT_COLUMNS);
        assertThat(new ArrayList<>(documented)).isEqualTo(all);
    }
}
