package dev.llmharness.runtime.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.runtime.load.ArrivalTrace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the arrival times, and input/output lengths when given, of a public LLM request trace:
 *
 * <ul>
 *   <li>{@link Format#AZURE_CSV}: the Azure LLM inference traces (AzurePublicDataset, 2023 and
 *       2024): a CSV with header {@code TIMESTAMP,ContextTokens,GeneratedTokens}, {@code
 *       TIMESTAMP} a date-time such as {@code 2023-11-16 18:15:46.6805900} (UTC, up to 9
 *       fractional digits), the other two token counts. Only {@code TIMESTAMP} is required.
 *   <li>{@link Format#MOONCAKE_JSONL}: the Mooncake traces (kvcache-ai/Mooncake, FAST '25): one
 *       JSON object per line, {@code timestamp} in milliseconds since the first request, {@code
 *       input_length} and {@code output_length} in tokens. Other fields ({@code hash_ids}, the
 *       prefix-cache blocks) are ignored. Only {@code timestamp} is required.
 * </ul>
 *
 * Arrivals are sorted by time (stably, so that equal times keep the file's order) and shifted so
 * that the first is at offset 0. Errors are {@link WorkloadException}s naming the file, the line
 * and the fix.
 */
public final class TraceReader {
    /** A supported trace format. */
    public enum Format {
        AZURE_CSV,
        MOONCAKE_JSONL;

        /** The format a file name implies: {@code .jsonl} is Mooncake, {@code .csv} Azure. */
        public static Format forFile(String location) {
            String lower = location.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".jsonl")) {
                return MOONCAKE_JSONL;
            }
            if (lower.endsWith(".csv")) {
                return AZURE_CSV;
            }
            throw new WorkloadException("trace file " + location
                    + ": cannot tell its format from the name; name it .csv (Azure LLM inference trace:"
                    + " TIMESTAMP,ContextTokens,GeneratedTokens) or .jsonl (Mooncake trace: timestamp,"
                    + " input_length, output_length)");
        }
    }

    private static final DateTimeFormatter AZURE_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final CSVFormat CSV = CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceReader() {}

    /** Reads a trace whose format its file name implies ({@link Format#forFile}). */
    public static ArrivalTrace read(String location) {
        return read(location, Format.forFile(location));
    }

    /**
     * Reads a trace file (a path, or a {@code classpath:} resource).
     *
     * @throws WorkloadException when the file is missing, empty or malformed
     */
    public static ArrivalTrace read(String location, Format format) {
        if (!location.startsWith("classpath:") && !Files.isRegularFile(Path.of(location))) {
            throw new WorkloadException("trace file "
                    + (Files.isDirectory(Path.of(location)) ? "is a directory, not a file: " : "not found: ")
                    + location + " (looked for "
                    + Path.of(location).toAbsolutePath().normalize()
                    + "); download the trace (see docs/load.md) or fix the path");
        }
        DatasetFile file = new DatasetFile(location);
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = file.openReader()) {
            if (format == Format.AZURE_CSV) {
                readAzure(file, reader, rows);
            } else {
                readMooncake(location, reader, rows);
            }
        } catch (IOException e) {
            throw file.readFailure(e);
        } catch (UncheckedIOException e) {
            throw file.readFailure(e.getCause());
        }
        if (rows.isEmpty()) {
            throw new WorkloadException("trace file " + location + " has no requests");
        }
        rows.sort(Comparator.comparingLong(Row::nanos)); // List.sort is stable
        long first = rows.get(0).nanos();
        long[] offsets = new long[rows.size()];
        int[] input = new int[rows.size()];
        int[] output = new int[rows.size()];
        long last = rows.get(rows.size() - 1).nanos();
        if (last - first < 0) {
            // The difference overflowed: date-times centuries apart (an Azure trace's are epoch-based).
            throw new WorkloadException("trace file " + location + " spans more than 292 years (from the earliest"
                    + " timestamp to the latest): check its timestamps");
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            offsets[i] = r.nanos() - first;
            input[i] = r.input();
            output[i] = r.output();
        }
        return new ArrivalTrace(location, offsets, input, output);
    }

    private record Row(long nanos, int input, int output) {}

    private static void readAzure(DatasetFile file, BufferedReader reader, List<Row> rows) throws IOException {
        String location = file.location();
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        try (CSVParser parser = CSVParser.parse(reader, CSV)) {
            if (parser.getHeaderNames().isEmpty()) {
                throw new WorkloadException(location + " is empty: an Azure LLM inference trace is a header row"
                        + " TIMESTAMP,ContextTokens,GeneratedTokens, then one row per request");
            }
            if (!parser.getHeaderMap().containsKey("TIMESTAMP")) {
                throw new WorkloadException(location + " line 1: an Azure LLM inference trace needs a TIMESTAMP"
                        + " column (header TIMESTAMP,ContextTokens,GeneratedTokens); columns present: "
                        + DatasetFile.printable(parser.getHeaderNames()));
            }
            boolean hasInput = parser.getHeaderMap().containsKey("ContextTokens");
            boolean hasOutput = parser.getHeaderMap().containsKey("GeneratedTokens");
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                String where = location + " line " + (record.getRecordNumber() + 1);
                if (!record.isSet("TIMESTAMP")) {
                    throw new WorkloadException(where + ": no TIMESTAMP value");
                }
                long nanos;
                try {
                    LocalDateTime t = LocalDateTime.parse(record.get("TIMESTAMP"), AZURE_TIMESTAMP);
                    long seconds = t.toEpochSecond(ZoneOffset.UTC);
                    nanos = Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), t.getNano());
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw new WorkloadException(
                            where + ": TIMESTAMP \"" + DatasetFile.printable(record.get("TIMESTAMP"))
                                    + "\" is not a date-time like 2023-11-16 18:15:46.6805900");
                }
                rows.add(new Row(
                        nanos,
                        hasInput
                                ? tokens(
                                        where,
                                        "ContextTokens",
                                        record.isSet("ContextTokens") ? record.get("ContextTokens") : "")
                                : ArrivalTrace.UNKNOWN,
                        hasOutput
                                ? tokens(
                                        where,
                                        "GeneratedTokens",
                                        record.isSet("GeneratedTokens") ? record.get("GeneratedTokens") : "")
                                : ArrivalTrace.UNKNOWN));
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            WorkloadException encoding = file.encodingFailure(e);
            if (encoding != null) {
                throw encoding;
            }
            // The parser's own words (the line and position), not its exception's class name.
            throw new WorkloadException(location + ": malformed CSV ("
                    + DatasetFile.printable(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")");
        } catch (CSVException e) {
            throw new WorkloadException(
                    location + " line 1: malformed CSV header (" + DatasetFile.printable(e.getMessage()) + ")");
        } catch (IllegalArgumentException e) {
            throw new WorkloadException(
                    location + " line 1: bad CSV header (" + DatasetFile.printable(e.getMessage()) + ")");
        }
    }

    private static void readMooncake(String location, BufferedReader reader, List<Row> rows) throws IOException {
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String where = location + " line " + lineNumber;
            JsonNode node;
            try {
                node = JSON.readTree(lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line);
            } catch (JsonProcessingException e) {
                throw new WorkloadException(where + ": not a JSON object (" + JsonFields.describe(e) + ")");
            }
            if (node == null || !node.isObject()) {
                throw new WorkloadException(where + ": expected one JSON object per line");
            }
            JsonNode ts = node.get("timestamp");
            if (ts == null || !ts.isNumber() || !Double.isFinite(ts.asDouble()) || ts.asDouble() < 0) {
                throw new WorkloadException(where + ": a Mooncake trace line needs \"timestamp\", milliseconds"
                        + " since the first request, as a number >= 0");
            }
            if (ts.asDouble() * 1e6 >= Long.MAX_VALUE) {
                // Math.round would quietly make it the longest long: a replay of 292 years.
                throw new WorkloadException(where + ": \"timestamp\" " + ts.asText()
                        + " ms is more than 292 years after the first request; Mooncake timestamps are"
                        + " milliseconds since the first request");
            }
            long nanos = Math.round(ts.asDouble() * 1e6);
            rows.add(new Row(nanos, length(where, node, "input_length"), length(where, node, "output_length")));
        }
    }

    private static int length(String where, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return ArrivalTrace.UNKNOWN;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new WorkloadException(where + ": \"" + field + "\" must be a whole number of tokens >= 0, got " + v);
        }
        return v.asInt();
    }

    private static int tokens(String where, String column, String text) {
        if (text.isEmpty()) {
            return ArrivalTrace.UNKNOWN;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new WorkloadException(
                where + ": " + column + " must be a whole number of tokens >= 0, got \"" + text + "\"");
    }
}
