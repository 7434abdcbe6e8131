package dev.llmharness.api.spi;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Sampling;
import java.util.Objects;

/**
 * Prompts read from a dataset; see {@link dev.llmharness.api.Dataset} for each field's meaning.
 */
public record DatasetWorkload(
        DatasetFormat format,
        String path,
        String promptField,
        String referenceField,
        int minInputTokens,
        int maxInputTokens,
        int maxOutputTokens,
        int outputTokens,
        boolean outputFromReference,
        Sampling sampling,
        int limit,
        String encoding)
        implements Workload {

    public DatasetWorkload {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(promptField, "promptField");
        Objects.requireNonNull(referenceField, "referenceField");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(encoding, "encoding");
        if (path.isBlank()) {
            throw new IllegalArgumentException("the dataset path is empty; give a file path or classpath:resource");
        }
        boolean needsField = format == DatasetFormat.JSONL || format == DatasetFormat.CSV;
        if (needsField && promptField.isBlank()) {
            throw new IllegalArgumentException(
                    format + " datasets need promptField: name the field holding the prompt");
        }
        if (!needsField && !promptField.isEmpty()) {
            throw new IllegalArgumentException(
                    format + " datasets have a fixed prompt field; remove promptField (it applies to JSONL and CSV)");
        }
        if (minInputTokens < 1) {
            throw new IllegalArgumentException("minInputTokens must be >= 1, got " + minInputTokens);
        }
        if (maxInputTokens < minInputTokens) {
            throw new IllegalArgumentException(
                    "maxInputTokens (" + maxInputTokens + ") must be >= minInputTokens (" + minInputTokens + ")");
        }
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 1, got " + maxOutputTokens);
        }
        if (outputTokens < 1) {
            throw new IllegalArgumentException("outputTokens must be >= 1, got " + outputTokens);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 reads every record), got " + limit);
        }
    }

    /** Whether {@link #path()} names a class-path resource ({@code classpath:} prefix). */
    public boolean isClasspathResource() {
        return path.startsWith("classpath:");
    }
}
