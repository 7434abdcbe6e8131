package dev.llmharness.runtime.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads and writes result files. The only place that knows the file format: every writer and
 * reader of results goes through here.
 */
public final class ResultJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

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
     * @throws ResultFormatException naming the file and the problem when it is not valid JSON, has
     *     no or an unsupported {@code schemaVersion}, or does not match the model
     */
    public static RunResult read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ResultFormatException("cannot read result file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Parses result JSON; {@code source} names it in error messages. */
    public static RunResult parse(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(
                    source + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ")",
                    e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ResultFormatException(source + " is not an LLM Harness result file: expected a JSON object");
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new ResultFormatException(
                    source + " has no schemaVersion: it is not an LLM Harness result file (or it is corrupt)");
        }
        int v = version.asInt();
        if (v > RunResult.SCHEMA_VERSION || v < 1) {
            throw new ResultFormatException(
                    source + " has schemaVersion " + v + ", but this harness reads versions 1 to "
                            + RunResult.SCHEMA_VERSION + "; use the LLM Harness version that wrote it, or a newer one");
        }
        try {
            return MAPPER.treeToValue(tree, RunResult.class);
        } catch (JsonProcessingException e) {
            throw new ResultFormatException(source + " does not match the result schema: " + e.getOriginalMessage(), e);
        }
    }
}
