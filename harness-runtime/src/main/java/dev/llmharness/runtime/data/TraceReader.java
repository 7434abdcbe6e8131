package dev.llmharness.runtime.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.spi.TraceTimestamps;
import dev.llmharness.runtime.load.ArrivalTrace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the arrival times, and input/output lengths when given, of a public LLM request trace: the
 * one place that reads a trace file. What it reads is an {@link ArrivalTrace}, which a run reads
 * once, before any load, and shares between the trial's pre-run check, its prompts and its
 * schedule.
 *
 * <ul>
 *   <li>{@link Format#AZURE_CSV}: the Azure LLM inference traces (AzurePublicDataset, 2023 and
 *       2024): a CSV with header {@code TIMESTAMP,ContextTokens,GeneratedTokens}, {@code
 *       TIMESTAMP} a date-time such as {@code 2023-11-16 18:15:46.6805900} (the 2023 files: no
 *       offset, read as UTC) or {@code 2024-05-10 00:00:00.009930+00:00} (the 2024 files), the
 *       other two token counts. Only {@code TIMESTAMP} is required; other columns, named or not
 *       (the index column of a pandas export), are ignored. See {@code TraceTimestamps.nanos} for the
 *       date-times read.
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

    /** The CSV as pandas and the Azure traces write it; a header cell may be empty (an index column). */
    private static final CSVFormat CSV = CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a bad {@code TIMESTAMP} is told to look like. */
    private static final String TIMESTAMP_EXAMPLE =
            "a date-time like 2023-11-16 18:15:46.6805900 or 2024-05-10 00:00:00.009930+00:00";

    private TraceReader() {}

    /** Reads a trace whose format its file name implies ({@link Format#forFile}). */
    public static ArrivalTrace read(String location) {
        return read(location, Format.forFile(location));
    }

    /**
     * Reads a trace file (a path, or a {@code classpath:} resource). A relative path is read
     * relative to the benchmark module's base directory ({@link BaseDir}: {@code -Dllmh.baseDir},
     * else the working directory), as the annotation processor reads it at compile time.
     *
     * @throws WorkloadException when the file is missing, empty or malformed
     */
    public static ArrivalTrace read(String location, Format format) {
        String opened = location;
        if (!location.startsWith("classpath:")) {
            Path path = BaseDir.resolve(location);
            if (!Files.isRegularFile(path)) {
                throw new WorkloadException("trace file "
                        + (Files.isDirectory(path) ? "is a directory, not a file: " : "not found: ")
                        + location + " (looked for "
                        + path.toAbsolutePath().normalize()
                        + (Path.of(location).isAbsolute() ? "" : ": " + BaseDir.rule())
                        + "); download the trace (see docs/load.md) or fix the path");
            }
            opened = path.toString();
        }
        DatasetFile file = new DatasetFile(opened);
        ArrivalTrace.Builder rows = ArrivalTrace.builder(location);
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
        try {
            return rows.build();
        } catch (IllegalArgumentException e) {
            // No requests, or instants centuries apart: the builder's message names the file.
            throw new WorkloadException(e.getMessage());
        }
    }

    private static void readAzure(DatasetFile file, BufferedReader reader, ArrivalTrace.Builder rows)
            throws IOException {
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
            Map<String, Integer> header = parser.getHeaderMap();
            Integer timestampColumn = header.get("TIMESTAMP");
            if (timestampColumn == null) {
                throw new WorkloadException(location + " line 1: an Azure LLM inference trace needs a TIMESTAMP"
                        + " column (header TIMESTAMP,ContextTokens,GeneratedTokens); columns present: "
                        + DatasetFile.printable(parser.getHeaderNames()));
            }
            int timestamp = timestampColumn;
            int input = header.getOrDefault("ContextTokens", -1);
            int output = header.getOrDefault("GeneratedTokens", -1);
            for (CSVRecord record : parser) {
                String text = timestamp < record.size() ? record.get(timestamp) : "";
                if (text.isEmpty()) {
                    throw new WorkloadException(where(location, record) + ": no TIMESTAMP value");
                }
                long nanos;
                try {
                    nanos = TraceTimestamps.nanos(text);
                } catch (DateTimeException e) {
                    throw new WorkloadException(where(location, record) + ": TIMESTAMP \"" + DatasetFile.printable(text)
                            + "\" is not " + TIMESTAMP_EXAMPLE);
                } catch (ArithmeticException e) {
                    throw new WorkloadException(where(location, record) + ": TIMESTAMP \""
                            + DatasetFile.printable(text) + "\" is outside 1677-09-22 to 2262-04-11, the instants a"
                            + " replay can place (nanoseconds since 1970): check its year");
                }
                rows.add(
                        nanos,
                        tokens(location, record, input, "ContextTokens"),
                        tokens(location, record, output, "GeneratedTokens"));
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

    /** The file and line of a record, for a message (made only then: a trace has millions of rows). */
    private static String where(String location, CSVRecord record) {
        return location + " line " + (record.getRecordNumber() + 1);
    }

    private static void readMooncake(String location, BufferedReader reader, ArrivalTrace.Builder rows)
            throws IOException {
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
            rows.add(nanos, length(where, node, "input_length"), length(where, node, "output_length"));
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

    /** The token count in column {@code index} ({@code -1}: the file has no such column), or unknown when empty. */
    private static int tokens(String location, CSVRecord record, int index, String column) {
        String text = index >= 0 && index < record.size() ? record.get(index) : "";
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
        throw new WorkloadException(where(location, record) + ": " + column
                + " must be a whole number of tokens >= 0, got \"" + DatasetFile.printable(text) + "\"");
    }
}
