package dev.llmharness.processor;

import dev.llmharness.api.spi.TraceTimestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The recorded span of a trace file (from its first arrival to its last) when the processor can
 * read the file at compile time: a {@code classpath:} resource on the compilation's class path
 * (Maven copies resources to the classes' directory, on that path, before compiling) or source
 * path, or a path that exists from where javac runs. The span is what a replay lasts at speed-up 1, so the checks
 * of a trial's measured length cover a trace as they cover a shape.
 *
 * <p>It reads the arrival times only, as the runtime's {@code TraceReader} does: an Azure LLM
 * inference trace's {@code TIMESTAMP} column (parsed by {@code TraceTimestamps}, as the runtime parses it, offsets included), a Mooncake trace's {@code
 * timestamp} field (milliseconds). A file it cannot find, or any line it cannot read, gives no
 * span: the run reads the file and reports what is wrong with it, so a guess here would only risk
 * a wrong compile error.
 */
final class TraceFiles {
    private static final String CLASSPATH = "classpath:";

    private static final Pattern MOONCAKE_TIMESTAMP =
            Pattern.compile("\"timestamp\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*[,}]");

    /** {@code null} when the compiler offers no filer (a test reading sources alone). */
    private final Filer filer;

    private final Map<String, Optional<Duration>> spans = new HashMap<>();

    TraceFiles(Filer filer) {
        this.filer = filer;
    }

    /**
     * From the trace's first arrival to its last, as recorded; empty when the file cannot be found
     * or read now. Read once per path and compilation.
     *
     * @param path as {@code @TraceReplay(path)} names it
     */
    Optional<Duration> span(String path) {
        return spans.computeIfAbsent(path, this::read);
    }

    private Optional<Duration> read(String path) {
        boolean jsonl = path.toLowerCase(Locale.ROOT).endsWith(".jsonl");
        try (BufferedReader reader = open(path)) {
            if (reader == null) {
                return Optional.empty();
            }
            return jsonl ? mooncake(reader) : azure(reader);
        } catch (IOException | RuntimeException e) {
            // Unreadable now (a missing resource, a bad line): the run reads it and says why.
            return Optional.empty();
        }
    }

    /** The file or resource, or {@code null} when it is not there at compile time. */
    private BufferedReader open(String path) throws IOException {
        if (path.startsWith(CLASSPATH)) {
            String name = path.substring(CLASSPATH.length());
            name = name.startsWith("/") ? name.substring(1) : name;
            if (filer == null || name.isEmpty()) {
                return null;
            }
            // Input locations only: asking an output location for a file may create it (an
            // in-memory file manager does), and Maven puts the classes' directory, where it copied
            // the resources, on the class path anyway.
            for (StandardLocation location : List.of(StandardLocation.CLASS_PATH, StandardLocation.SOURCE_PATH)) {
                Reader found = resource(location, name);
                if (found != null) {
                    return new BufferedReader(found);
                }
            }
            return null;
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            return null;
        }
        return Files.isRegularFile(file) ? Files.newBufferedReader(file, StandardCharsets.UTF_8) : null;
    }

    private Reader resource(StandardLocation location, String name) {
        try {
            FileObject file = filer.getResource(location, "", name);
            return new InputStreamReader(file.openInputStream(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // not in this location (or the location is not set)
        }
    }

    /** A Mooncake trace: one JSON object per line with {@code timestamp} in milliseconds. */
    private static Optional<Duration> mooncake(BufferedReader reader) throws IOException {
        Span span = new Span();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = MOONCAKE_TIMESTAMP.matcher(line);
            if (!m.find()) {
                return Optional.empty();
            }
            String text = m.group(1);
            if (m.find()) {
                return Optional.empty(); // two timestamps on a line: not one flat record to trust
            }
            double millis = Double.parseDouble(text);
            if (!Double.isFinite(millis) || millis * 1e6 >= Long.MAX_VALUE) {
                return Optional.empty();
            }
            span.add(Math.round(millis * 1e6));
        }
        return span.duration();
    }

    /** An Azure LLM inference trace: a CSV whose {@code TIMESTAMP} column holds UTC date-times. */
    private static Optional<Duration> azure(BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            return Optional.empty();
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> names = cells(header);
        int column = names.indexOf("TIMESTAMP");
        if (column < 0) {
            return Optional.empty();
        }
        Span span = new Span();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = cells(line);
            if (column >= cells.size()) {
                return Optional.empty();
            }
            try {
                span.add(TraceTimestamps.nanos(cells.get(column)));
            } catch (DateTimeException | ArithmeticException e) {
                return Optional.empty();
            }
        }
        return span.duration();
    }

    /**
     * The cells of a CSV line, trimmed, quotes removed; a quoted cell holding a comma or a quote
     * gives up (the traces hold none), since a line it splits wrongly would give a wrong time.
     */
    private static List<String> cells(String line) {
        List<String> cells = new java.util.ArrayList<>();
        for (String cell : line.split(",", -1)) {
            String c = cell.strip();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            if (c.indexOf('"') >= 0) {
                throw new IllegalArgumentException("a quoted cell");
            }
            cells.add(c);
        }
        return cells;
    }

    /** The earliest and latest arrival seen, ns (the runtime sorts them, so order does not matter). */
    private static final class Span {
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        void add(long nanos) {
            first = Math.min(first, nanos);
            last = Math.max(last, nanos);
        }

        Optional<Duration> duration() {
            if (first > last || last - first < 0) {
                return Optional.empty(); // no request, or a span past what a long holds
            }
            return Optional.of(Duration.ofNanos(last - first));
        }
    }
}
