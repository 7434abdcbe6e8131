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
 * path, or a file path. The span is what a replay lasts at speed-up 1, so the checks of a trial's
 * measured length cover a trace as they cover a shape.
 *
 * <p>A relative file path is relative to the benchmark module's base directory, as at run time
 * (the runtime's {@code BaseDir}, {@code -Dllmh.baseDir}), never to javac's working directory,
 * which under Maven is wherever {@code mvn} was started (the reactor's root or the module): the
 * processor option {@value #BASE_DIR_OPTION} ({@code -Allmh.baseDir=${project.basedir}}) names it,
 * else it is the nearest directory above the benchmark's source file that holds a build file
 * ({@code pom.xml}, {@code build.gradle}, {@code build.gradle.kts}), else javac's working directory
 * (a source without a file, as in a test compiling from memory).
 *
 * <p>It reads the arrival times only, as the runtime's {@code TraceReader} does: an Azure LLM
 * inference trace's {@code TIMESTAMP} column (parsed by {@code TraceTimestamps}, as the runtime parses it, offsets included), a Mooncake trace's {@code
 * timestamp} field (milliseconds). A file it cannot find, or any line it cannot read, gives no
 * span: the run reads the file and reports what is wrong with it, so a guess here would only risk
 * a wrong compile error.
 */
final class TraceFiles {
    private static final String CLASSPATH = "classpath:";

    /** The processor option naming the module's base directory. */
    static final String BASE_DIR_OPTION = "llmh.baseDir";

    /** The files that mark a module's base directory, looked for above a source file. */
    private static final List<String> BUILD_FILES = List.of("pom.xml", "build.gradle", "build.gradle.kts");

    private static final Pattern MOONCAKE_TIMESTAMP =
            Pattern.compile("\"timestamp\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*[,}]");

    /** {@code null} when the compiler offers no filer (a test reading sources alone). */
    private final Filer filer;

    /** The base directory {@value #BASE_DIR_OPTION} names, or {@code null} when it is not given. */
    private final Path baseDirOption;

    /** Finds an element's source file; {@code null} off javac. */
    private final com.sun.source.util.Trees trees;

    /** Spans by resolved path (or {@code classpath:} name). */
    private final Map<String, Optional<Duration>> spans = new HashMap<>();

    /**
     * A reader for one compilation.
     *
     * @param filer finds {@code classpath:} resources, or {@code null} when the compiler offers none
     * @param baseDirOption the absolute directory {@value #BASE_DIR_OPTION} names, or {@code null}
     * @param trees finds a benchmark's source file, or {@code null} when the compiler offers none
     */
    TraceFiles(Filer filer, Path baseDirOption, com.sun.source.util.Trees trees) {
        this.filer = filer;
        this.baseDirOption = baseDirOption;
        this.trees = trees;
    }

    /**
     * From the trace's first arrival to its last, as recorded; empty when the file cannot be found
     * or read now. Read once per file and compilation.
     *
     * @param path as {@code @TraceReplay(path)} names it
     * @param where the element the annotation is on: its source file's module is the base directory
     *     of a relative path when no option names one
     */
    Optional<Duration> span(String path, javax.lang.model.element.Element where) {
        if (path.startsWith(CLASSPATH)) {
            return spans.computeIfAbsent(path, this::read);
        }
        Optional<Path> file = resolve(path, where);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return spans.computeIfAbsent(file.get().toString(), this::read);
    }

    /**
     * Where a file path (not a {@code classpath:} one) is read: an absolute path as it is, a
     * relative one against the base directory ({@link #baseDir}); empty when it is no valid path.
     */
    Optional<Path> resolve(String path, javax.lang.model.element.Element where) {
        try {
            Path p = Path.of(path);
            return Optional.of(
                    p.isAbsolute() ? p : baseDir(where).dir().resolve(p).normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * The file a file path names when it is not there now, for a note that says where it was
     * looked for; empty for a {@code classpath:} path or a file that is there.
     */
    Optional<Path> missing(String path, javax.lang.model.element.Element where) {
        if (path.startsWith(CLASSPATH)) {
            return Optional.empty();
        }
        return resolve(path, where).filter(file -> !Files.isRegularFile(file));
    }

    /**
     * A module's base directory and how it was found, for messages.
     *
     * @param dir absolute
     * @param how e.g. {@code "-Allmh.baseDir=/work/app"}, {@code "the directory of /work/app/pom.xml"}
     */
    record BaseDir(Path dir, String how) {
        /** The rule, for a message about a relative path: "relative to the module's base directory, ...". */
        String rule() {
            return "a relative trace path is relative to the benchmark module's base directory, here " + how;
        }
    }

    /**
     * The base directory of relative paths for a benchmark on {@code where}: the option's, else the
     * nearest directory above its source file with a build file, else javac's working directory.
     */
    BaseDir baseDir(javax.lang.model.element.Element where) {
        if (baseDirOption != null) {
            return new BaseDir(baseDirOption, "-A" + BASE_DIR_OPTION + "=" + baseDirOption);
        }
        Optional<Path> build = buildFileAbove(where);
        if (build.isPresent()) {
            return new BaseDir(build.get().getParent(), "the directory of " + build.get());
        }
        Path cwd = Path.of("").toAbsolutePath();
        return new BaseDir(
                cwd,
                "javac's working directory " + cwd + " (no -A" + BASE_DIR_OPTION + " given, and no pom.xml or"
                        + " build.gradle above the source file)");
    }

    /** The nearest build file above {@code where}'s source file, when it is a file on disk. */
    private Optional<Path> buildFileAbove(javax.lang.model.element.Element where) {
        if (trees == null || where == null) {
            return Optional.empty();
        }
        try {
            com.sun.source.util.TreePath tree = trees.getPath(where);
            if (tree == null) {
                return Optional.empty();
            }
            java.net.URI uri = tree.getCompilationUnit().getSourceFile().toUri();
            if (!"file".equals(uri.getScheme())) {
                return Optional.empty(); // a source in memory: no module around it
            }
            for (Path dir = Path.of(uri).toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
                for (String name : BUILD_FILES) {
                    Path build = dir.resolve(name);
                    if (Files.isRegularFile(build)) {
                        return Optional.of(build);
                    }
                }
            }
        } catch (RuntimeException e) {
            // No tree or no file for this element: the working directory, as before.
        }
        return Optional.empty();
    }

    /**
     * Reads a trace's span.
     *
     * @param key a {@code classpath:} path, or a file's resolved path
     */
    private Optional<Duration> read(String key) {
        boolean jsonl = key.toLowerCase(Locale.ROOT).endsWith(".jsonl");
        try (BufferedReader reader = open(key)) {
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
