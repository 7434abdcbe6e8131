package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The optional per-request CSV: one row per measured request, in the order requests end.
 * Thread-safe. Columns: {@code request_id, trial_id, intended_start_epoch_ms, ttft_ms, tpot_ms,
 * e2e_ms, input_tokens, output_tokens, token_source, status, error_category}; a value a request
 * does not have is an empty cell. The intended start is converted from {@code nanoTime} to epoch
 * milliseconds through one anchor taken when the writer opens.
 */
public final class RequestCsvWriter implements Closeable {
    /** The header row. */
    public static final String[] COLUMNS = {
        "request_id",
        "trial_id",
        "intended_start_epoch_ms",
        "ttft_ms",
        "tpot_ms",
        "e2e_ms",
        "input_tokens",
        "output_tokens",
        "token_source",
        "status",
        "error_category"
    };

    private final CSVPrinter printer;
    private final long anchorNanos = System.nanoTime();
    private final long anchorEpochMicros = System.currentTimeMillis() * 1000;

    private RequestCsvWriter(CSVPrinter printer) {
        this.printer = printer;
    }

    /** Creates (or replaces) the file, with its parent folders, and writes the header. */
    public static RequestCsvWriter open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new RequestCsvWriter(new CSVPrinter(
                    out, CSVFormat.DEFAULT.builder().setHeader(COLUMNS).get()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write request CSV " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes one ended request of trial {@code trialId}. */
    public void write(String trialId, RequestTiming t) {
        double intendedEpochMs = (anchorEpochMicros + (t.intendedStart() - anchorNanos) / 1000) / 1000.0;
        Outcome outcome = t.outcome();
        boolean completed = outcome == Outcome.COMPLETED;
        Object[] row = {
            t.index(),
            trialId,
            String.format(java.util.Locale.ROOT, "%.3f", intendedEpochMs),
            ms(t.ttftNanos()),
            completed ? ms(t.tpotNanos()) : "",
            ms(t.e2eNanos()),
            t.inputTokens() >= 0 ? t.inputTokens() : "",
            completed ? t.outputTokens() : "",
            completed ? t.tokenSource() : "",
            outcome == null ? "in_flight" : outcome.name().toLowerCase(java.util.Locale.ROOT),
            t.failure() == null ? "" : t.failure().key()
        };
        synchronized (this) {
            try {
                printer.printRecord(row);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write request CSV row: " + e.getMessage(), e);
            }
        }
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "" : String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }

    @Override
    public synchronized void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close request CSV: " + e.getMessage(), e);
        }
    }
}
