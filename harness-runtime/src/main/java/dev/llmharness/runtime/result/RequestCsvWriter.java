package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.FailureLog;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The optional per-request CSV: one row per measured request, in the order requests end, written
 * as each ends (the writer keeps nothing about a request once its row is in the file buffer).
 * Thread-safe. The columns are {@link #COLUMNS} (documented in {@code docs/metrics.md}), plus
 * {@link #TEXT_COLUMNS} when text is kept; a value a request does not have is an empty cell.
 * Instants are converted from {@code nanoTime} to epoch milliseconds through one anchor per run
 * ({@link EpochClock}).
 */
public final class RequestCsvWriter implements RequestSink {
    /**
     * The header row. New columns are only ever appended, so a column keeps its position: the
     * first eleven are those of the first version of this file.
     */
    public static final List<String> COLUMNS = List.of(
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
            "error_category",
            "error_message",
            "http_status",
            "worker",
            "sent_epoch_ms",
            "first_token_epoch_ms",
            "last_token_epoch_ms",
            "end_epoch_ms",
            "dispatch_lag_ms",
            "ttft_from_send_ms",
            "content_events",
            "intended_input_tokens",
            "server_input_tokens",
            "intended_output_tokens",
            "counted_output_tokens",
            "server_output_tokens",
            "exact_output",
            "client_input_tokens");

    /** Appended when text is kept ({@code --csv-text}): the start of the prompt and of the answer. */
    public static final List<String> TEXT_COLUMNS = List.of("prompt_text", "response_text");

    private final Path file;
    private final CSVPrinter printer;
    private final int textChars;
    private long rowsLost;
    private IOException failure;

    private RequestCsvWriter(Path file, CSVPrinter printer, int textChars) {
        this.file = file;
        this.printer = printer;
        this.textChars = textChars;
    }

    /** Creates (or replaces) the file, with its parent folders, and writes the header; no text kept. */
    public static RequestCsvWriter open(Path file) {
        return open(file, 0);
    }

    /**
     * Creates (or replaces) the file, with its parent folders, and writes the header.
     *
     * @param textChars characters of prompt and response text to keep per request, 0 to {@link
     *     dev.llmharness.api.Limits#MAX_CSV_TEXT}; {@code 0} leaves out the text columns
     */
    public static RequestCsvWriter open(Path file, int textChars) {
        String outside = dev.llmharness.api.Limits.outsideCsvText("text characters", textChars);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
        String[] header = (textChars > 0
                        ? java.util.stream.Stream.concat(COLUMNS.stream(), TEXT_COLUMNS.stream())
                        : COLUMNS.stream())
                .toArray(String[]::new);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new RequestCsvWriter(
                    file,
                    new CSVPrinter(
                            out, CSVFormat.DEFAULT.builder().setHeader(header).get()),
                    textChars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write request CSV " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int textChars() {
        return textChars;
    }

    /** Writes one ended request of trial {@code trialId}. */
    @Override
    public void write(String trialId, RequestTiming t) {
        Object[] row = row(trialId, t);
        synchronized (this) {
            if (failure != null) {
                rowsLost++;
                return;
            }
            try {
                printer.printRecord(row);
            } catch (IOException e) {
                failure = e;
                rowsLost++;
            }
        }
    }

    private Object[] row(String trialId, RequestTiming t) {
        Outcome outcome = t.outcome();
        boolean completed = outcome == Outcome.COMPLETED;
        Object[] row = {
            t.index(),
            trialId,
            EpochClock.epochMillis(t.intendedStart()),
            ms(t.ttftNanos()),
            completed ? ms(t.tpotNanos()) : "",
            ms(t.e2eNanos()),
            completed && t.inputTokens() >= 0 ? t.inputTokens() : "",
            completed ? t.outputTokens() : "",
            completed ? t.tokenSource() : "",
            outcome == null ? "in_flight" : outcome.name().toLowerCase(Locale.ROOT),
            t.failure() == null ? "" : t.failure().key(),
            t.failure() == null ? "" : FailureLog.truncate(t.failureDetail()),
            t.httpStatus() > 0 ? t.httpStatus() : "",
            t.worker() >= 0 ? t.worker() : "",
            t.isSent() ? EpochClock.epochMillis(t.sent()) : "",
            t.hasFirstToken() ? EpochClock.epochMillis(t.firstToken()) : "",
            t.hasFirstToken() ? EpochClock.epochMillis(t.lastToken()) : "",
            outcome == null ? "" : EpochClock.epochMillis(t.end()),
            ms(t.dispatchLagNanos()),
            ms(t.ttftFromSendNanos()),
            t.contentEvents(),
            known(t.intendedInputTokens()),
            known(t.serverInputTokens()),
            known(t.requestedOutputTokens()),
            known(t.countedOutputTokens()),
            known(t.serverOutputTokens()),
            t.exactOutput(),
            known(t.clientInputTokens())
        };
        if (textChars == 0) {
            return row;
        }
        Object[] withText = Arrays.copyOf(row, row.length + 2);
        withText[row.length] = t.promptText() == null ? "" : t.promptText();
        withText[row.length + 1] = t.responseText() == null ? "" : t.responseText();
        return withText;
    }

    private static Object known(long tokens) {
        return tokens >= 0 ? tokens : "";
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "" : EpochClock.millis(nanos);
    }

    @Override
    public synchronized void close() {
        try {
            printer.close(true);
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException(
                    "the request CSV " + file + " is incomplete: " + failure.getMessage()
                            + (rowsLost > 0 ? " (" + rowsLost + " rows lost)" : ""),
                    failure);
        }
    }
}
