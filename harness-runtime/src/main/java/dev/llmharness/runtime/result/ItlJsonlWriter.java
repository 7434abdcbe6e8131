package dev.llmharness.runtime.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The optional inter-token file ({@code --itl-jsonl}): one JSON object per line and per measured
 * request, in the order requests end, holding every gap between its consecutive content events
 * ({@code itl_ms}), as vLLM's benchmark client keeps its {@code itls} per request (vLLM: seconds;
 * here: milliseconds). Written through Jackson's streaming generator as each request ends; nothing
 * about a request is kept once its line is in the file buffer. Thread-safe.
 *
 * <p>A line: {@code {"trial_id":"...","request_id":12,"status":"completed","error_category":null,
 * "intended_start_epoch_ms":1767225600123.456,"ttft_ms":20.5,"ttft_from_send_ms":20.4,
 * "e2e_ms":60.9,"output_tokens":3,"itl_ms":[20.1,20.3]}}. Failed requests are written too, with
 * the gaps they had before failing; {@code ttft_ms}, {@code e2e_ms} and {@code output_tokens} are
 * {@code null} when the request has none.
 */
public final class ItlJsonlWriter implements RequestSink {
    private final Path file;
    private final JsonGenerator json;
    private long lines;
    private long linesLost;
    private IOException failure;

    private ItlJsonlWriter(Path file, JsonGenerator json) {
        this.file = file;
        this.json = json;
    }

    /** Creates (or replaces) the file, with its parent folders. */
    public static ItlJsonlWriter open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            JsonGenerator json = ResultJson.mapper().getFactory().createGenerator(out);
            // One object per line: no indentation, a newline between root values.
            json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            return new ItlJsonlWriter(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write inter-token file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void write(String trialId, RequestTiming t) {
        if (failure != null) {
            linesLost++;
            return;
        }
        try {
            Outcome outcome = t.outcome();
            json.writeStartObject();
            json.writeStringField("trial_id", trialId);
            json.writeNumberField("request_id", t.index());
            json.writeStringField(
                    "status", outcome == null ? "in_flight" : outcome.name().toLowerCase(Locale.ROOT));
            json.writeStringField(
                    "error_category", t.failure() == null ? null : t.failure().key());
            json.writeFieldName("intended_start_epoch_ms");
            json.writeNumber(EpochClock.epochMillis(t.intendedStart()));
            millisField("ttft_ms", t.ttftNanos());
            millisField("ttft_from_send_ms", t.ttftFromSendNanos());
            millisField("e2e_ms", t.e2eNanos());
            json.writeFieldName("output_tokens");
            if (outcome == Outcome.COMPLETED) {
                json.writeNumber(t.outputTokens());
            } else {
                json.writeNull();
            }
            json.writeArrayFieldStart("itl_ms");
            for (int i = 1; i < t.contentEvents(); i++) {
                json.writeNumber((t.eventNanos(i) - t.eventNanos(i - 1)) / 1e6);
            }
            json.writeEndArray();
            json.writeEndObject();
            lines++;
        } catch (IOException e) {
            failure = e;
            linesLost++;
        }
    }

    private void millisField(String name, long nanos) throws IOException {
        json.writeFieldName(name);
        if (nanos < 0) {
            json.writeNull();
        } else {
            json.writeNumber(nanos / 1e6);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (lines > 0) {
                json.writeRaw('\n');
            }
            json.close();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException(
                    "the inter-token file " + file + " is incomplete: " + failure.getMessage()
                            + (linesLost > 0 ? " (" + linesLost + " requests lost)" : ""),
                    failure);
        }
    }
}
