package dev.llmharness.runtime.result;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Reads and writes result files. The only place that knows the file format: every writer and
 * reader of results goes through here.
 */
public final class ResultJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * The mapper that reads result files: {@link #MAPPER} with {@link FiniteDouble}. Its own, so that
     * the other JSON that {@link #mapper()} reads keeps Jackson's rules.
     */
    private static final ObjectMapper READER = MAPPER.copy()
            .registerModule(new SimpleModule("finite numbers")
                    .addDeserializer(Double.class, new FiniteDouble(Double.class, null))
                    .addDeserializer(double.class, new FiniteDouble(Double.TYPE, 0.0)));

    /**
     * Reads a number as Jackson does, and refuses NaN and the infinities ({@code "NaN"}, {@code
     * "Infinity"}, {@code 1e999}): this harness never writes them (a missing value is {@code null}),
     * so one in a file is an edit or corruption, and it would flow into every sum and chart made of
     * the file. The reader names the field ({@link #parse}).
     */
    private static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {
        private static final long serialVersionUID = 1L;

        FiniteDouble(Class<Double> type, Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext context) throws IOException {
            Double value = super.deserialize(p, context);
            if (value != null && !Double.isFinite(value)) {
                throw InvalidFormatException.from(p, "not a finite number", value, Double.class);
            }
            return value;
        }
    }

    private ResultJson() {}

    /** The mapper configured for result files; shared so that other JSON outputs agree with it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises a result; NaN and infinities never appear (the model uses {@code null}). */
    public static String toJson(RunResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result does not serialise: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a result file atomically (a temporary file renamed into place), creating parent
     * folders, so that an interrupted run never leaves half a file.
     */
    public static void write(RunResult result, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, toJson(result) + System.lineSeparator());
            // createTempFile makes the file owner-only; a result file is meant to be shared.
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a result file.
     *
     * @throws ResultFormatException with one line naming the file and the problem when the file
     *     cannot be read, is not valid JSON, has no or an unsupported {@code schemaVersion}, or does
     *     not match the model
     */
    public static RunResult read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ResultFormatException("result file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ResultFormatException("result file " + file + " is not readable (permission denied)", e);
        } catch (MalformedInputException e) {
            throw new ResultFormatException(file + " is not a result file: it is not UTF-8 text", e);
        } catch (IOException e) {
            String why = Files.isDirectory(file)
                    ? "it is a folder"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new ResultFormatException("cannot read result file " + file + ": " + why, e);
        }
        return parse(text, file.toString());
    }

    /** Parses result JSON; {@code source} names it in error messages. */
    public static RunResult parse(String json, String source) {
        JsonNode tree;
        try {
            // A byte-order mark (a file saved by a Windows editor) is no part of the JSON: RFC 8259
            // lets a reader skip it, and refusing it would turn away a result that is intact.
            tree = READER.readTree(json.startsWith("\uFEFF") ? json.substring(1) : json);
        } catch (JsonEOFException e) {
            throw new ResultFormatException(
                    source + " is not valid JSON: it ends too early, at line "
                            + e.getLocation().getLineNr()
                            + " (the file is truncated); re-run the benchmark or restore the file",
                    e);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(
                    source + " is not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + withoutSource(e.getOriginalMessage()),
                    e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ResultFormatException(source + " is empty: it is not an LLM Harness result file");
        }
        if (!tree.isObject()) {
            throw new ResultFormatException(source + " is not an LLM Harness result file: expected a JSON object");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || version.isNull()) {
            throw new ResultFormatException(
                    source + " has no schemaVersion: it is not an LLM Harness result file (or it is corrupt)");
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new ResultFormatException(source + " has schemaVersion " + version
                    + ", which is not a whole number: write it as a number, e.g. \"schemaVersion\": "
                    + RunResult.SCHEMA_VERSION);
        }
        int v = version.asInt();
        if (v > RunResult.SCHEMA_VERSION || v < 1) {
            throw new ResultFormatException(
                    source + " has schemaVersion " + v + ", but this harness reads versions 1 to "
                            + RunResult.SCHEMA_VERSION + "; use the LLM Harness version that wrote it, or a newer one");
        }
        for (String field : REQUIRED_OBJECTS) {
            JsonNode node = tree.get(field);
            if (node == null || !node.isObject()) {
                throw new ResultFormatException(source + (node == null || node.isNull() ? " lacks " : " has a bad ")
                        + field + ": expected an object; the file is incomplete or was edited");
            }
        }
        JsonNode trials = tree.get("trials");
        if (trials == null || !trials.isArray()) {
            throw new ResultFormatException(source + (trials == null || trials.isNull() ? " lacks " : " has a bad ")
                    + "trials: expected a list of trials; the file is incomplete or was edited");
        }
        RunResult result;
        try {
            result = READER.treeToValue(tree, RunResult.class);
        } catch (JsonMappingException e) {
            String at = path(e);
            String why =
                    e instanceof InvalidFormatException f && f.getValue() instanceof Double d && !Double.isFinite(d)
                            ? d + " is no number a result holds (a missing value is null); the file is corrupt or was"
                                    + " edited, re-run the benchmark or restore the file"
                            : e instanceof MismatchedInputException m && m.getTargetType() != null
                                    ? "expected " + jsonKind(m.getTargetType())
                                    : "missing or malformed";
            throw new ResultFormatException(
                    source + " does not match the result schema" + (at.isEmpty() ? "" : " at " + at) + ": " + why, e);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(
                    source + " does not match the result schema: " + withoutSource(e.getOriginalMessage()), e);
        }
        ResultChecks.requireComplete(result, source);
        return withDeclaredWindows(withDistinctLoadIds(withOldHarnessLimits(result)));
    }

    /**
     * Gives each timed window of a file written before {@code window.declaredMeasurement} existed
     * the length it declared: since windows count completions inside them ({@code
     * completedInWindow}), a timed window lasts exactly its declared length, so {@code
     * measurementSeconds} is that length. Not so in a merged file (its lengths add), a partial one
     * (interrupted), a window counted in requests, or a trace (its window ends with its load): those
     * stay without one, which a comparison reads as not recorded. So a run with {@code
     * --duration-scale 2} compares with an older baseline as a longer window.
     */
    static RunResult withDeclaredWindows(RunResult result) {
        if (result.merge() != null
                || result.partial()
                || result.trials().stream().noneMatch(ResultJson::hasUndeclaredTimedWindow)) {
            return result;
        }
        List<TrialResult> trials = new java.util.ArrayList<>();
        for (TrialResult t : result.trials()) {
            if (!hasUndeclaredTimedWindow(t)) {
                trials.add(t);
                continue;
            }
            TrialResult.WindowInfo w = t.window();
            String length = dev.llmharness.api.DurationText.format(
                    java.time.Duration.ofNanos(Math.round(w.measurementSeconds() * 1e9)));
            trials.add(t.withWindow(w.withDeclared(w.declaredWarmup(), length)));
        }
        return new RunResult(
                result.schemaVersion(), result.run(), result.target(), trials, result.partial(), result.merge());
    }

    private static boolean hasUndeclaredTimedWindow(TrialResult t) {
        TrialResult.WindowInfo w = t.window();
        return w != null
                && w.declaredMeasurement() == null
                && w.completedInWindow() != null
                && w.measurementSeconds() > 0
                && (t.load() == null || !"trace".equals(t.load().shape()));
    }

    /** The shapes of a closed loop as files written before they had names of their own call them. */
    private static final java.util.Map<String, String> OLD_CLOSED_SHAPES = java.util.Map.of(
            "stages",
            dev.llmharness.api.spi.StagedClosedLoopModel.STAGES,
            "ramp",
            dev.llmharness.api.spi.StagedClosedLoopModel.RAMP);

    /** A trial parameter {@code load=stages} in a trial id, between its braces and commas. */
    private static final java.util.regex.Pattern OLD_STAGES_ID =
            java.util.regex.Pattern.compile("([{ ])load=stages(?=[,}])");

    /**
     * Renames, in a file written before closed-loop shapes had names of their own, a closed loop's
     * shapes {@code stages} and {@code ramp} to {@code worker-stages} and {@code worker-ramp}, and
     * its trial parameter {@code load=stages} (in its parameters and its id) to {@code
     * load=worker-stages}. An open-loop {@code @Stages} and a closed-loop {@code @WorkerStages} both
     * were {@code load=stages}, so {@code compare} paired them (noting that the loads differ) and
     * {@code merge} joined them with a warning; read so, an old file's worker stages match a new
     * file's. The only place that knows the old names.
     */
    static RunResult withDistinctLoadIds(RunResult result) {
        if (result.trials().stream().noneMatch(ResultJson::hasOldClosedShape)) {
            return result;
        }
        List<TrialResult> trials = new java.util.ArrayList<>();
        for (TrialResult t : result.trials()) {
            if (!hasOldClosedShape(t)) {
                trials.add(t);
                continue;
            }
            TrialResult.LoadInfo l = t.load();
            String shape = OLD_CLOSED_SHAPES.get(l.shape());
            TrialResult.LoadInfo load = new TrialResult.LoadInfo(
                    l.model(),
                    l.arrival(),
                    l.rate(),
                    l.maxInFlight(),
                    l.concurrency(),
                    l.thinkTimeMs(),
                    shape,
                    l.burstiness(),
                    l.description());
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>(t.params());
            String id = t.id();
            if ("stages".equals(params.get(dev.llmharness.api.spi.LoadId.LOAD))) {
                params.put(dev.llmharness.api.spi.LoadId.LOAD, shape);
                id = OLD_STAGES_ID.matcher(id).replaceFirst("$1load=" + shape);
            }
            trials.add(t.withLoadId(id, params, load));
        }
        return new RunResult(
                result.schemaVersion(), result.run(), result.target(), trials, result.partial(), result.merge());
    }

    private static boolean hasOldClosedShape(TrialResult t) {
        TrialResult.LoadInfo l = t.load();
        // Map.of refuses a null key: most loads have no shape.
        return l != null && l.shape() != null && "closed".equals(l.model()) && OLD_CLOSED_SHAPES.containsKey(l.shape());
    }

    /**
     * Gives each trial of a file written before {@code trials[].harnessLimit} existed the verdict
     * its warnings held then ({@link HarnessLimit#fromOldWarnings}): the only place that reads that
     * text, so that everything after the reader decides on the field.
     */
    private static RunResult withOldHarnessLimits(RunResult result) {
        if (result.trials().stream().allMatch(t -> t.harnessLimit() != null)) {
            return result;
        }
        List<TrialResult> trials = new java.util.ArrayList<>();
        for (TrialResult t : result.trials()) {
            if (t.harnessLimit() != null) {
                trials.add(t);
                continue;
            }
            MetricResult lag = t.metrics().get(dev.llmharness.runtime.metrics.Metric.DISPATCH_LAG.key());
            trials.add(t.withHarnessLimit(HarnessLimit.fromOldWarnings(t.warnings(), lag == null ? 0 : lag.count())));
        }
        return new RunResult(
                result.schemaVersion(), result.run(), result.target(), trials, result.partial(), result.merge());
    }

    /** The fields every result file has as JSON objects (besides {@code trials}). */
    private static final List<String> REQUIRED_OBJECTS = List.of("run", "target");

    /** Jackson's messages can embed a "[Source: ...; line: L, column: C]" location; keep it short. */
    private static String withoutSource(String message) {
        return message == null
                ? "unreadable"
                : message.replaceAll("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                        .replaceAll("\\s*\\[Source: [^\\]]*\\]", "")
                        // Jackson's advice to enable one of its features is for programmers, not users.
                        .replaceAll(": enable `[A-Za-z.]*NON_NUMERIC[A-Za-z_]*` to allow", ": JSON has no such number")
                        .replaceAll("[:;,]? *\\(?enable `[A-Za-z._]+` to allow\\)?", "");
    }

    /** {@code trials[0].counts.sent}: where in the file a mapping error is. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** The JSON kind a Java type is written as, for messages. */
    private static String jsonKind(Class<?> type) {
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
