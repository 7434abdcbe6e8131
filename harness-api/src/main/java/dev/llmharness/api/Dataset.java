package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Real-data workload: prompts read from a dataset file. The file is read, filtered and tokenized
 * when the benchmark starts, before any load is sent; a missing file, a malformed record or an
 * empty result after filtering stops the benchmark with an error naming the file, the record and
 * the field.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Dataset {
    /** File format. */
    DatasetFormat format();

    /**
     * Where the data is: a file path (relative paths resolve against the working directory), or
     * {@code classpath:name} for a class-path resource. Must not be empty.
     */
    String path();

    /**
     * Field (JSONL) or column (CSV) holding the prompt. Required for {@link DatasetFormat#JSONL}
     * and {@link DatasetFormat#CSV}; must be empty for the other formats, whose fields are fixed.
     */
    String promptField() default "";

    /** Field or column holding the reference answer (JSONL, CSV); empty means none. */
    String referenceField() default "";

    /** Records whose prompt has fewer tokens are skipped; {@code >= 1}. Default {@code 1}. */
    int minInputTokens() default 1;

    /** Records whose prompt has more tokens are skipped; {@code >= minInputTokens}. */
    int maxInputTokens() default Integer.MAX_VALUE;

    /**
     * Upper bound on the output length in tokens; with {@link #outputFromReference()}, records
     * whose reference answer is longer are skipped. {@code >= 1}.
     */
    int maxOutputTokens() default Integer.MAX_VALUE;

    /**
     * Output length in tokens requested of every request when {@link #outputFromReference()} is
     * {@code false}; in {@code [1, 1048576]} ({@link Limits#MAX_TOKENS}) and, when written, at most
     * {@link #maxOutputTokens()}, which caps it. Default {@link Defaults#DATASET_OUTPUT_TOKENS}.
     */
    int outputTokens() default Defaults.DATASET_OUTPUT_TOKENS;

    /**
     * When {@code true}, each request asks for as many tokens as its record's reference answer has
     * (records without one are skipped), as vLLM's ShareGPT benchmark does.
     */
    boolean outputFromReference() default false;

    /** How requests draw records. Default {@link Sampling#WITH_REPLACEMENT}. */
    Sampling sampling() default Sampling.WITH_REPLACEMENT;

    /** Read at most this many records (before filtering); {@code 0} (the default) reads all. */
    int limit() default 0;

    /** Tokenizer encoding used for the filters and counts. Default {@link Defaults#ENCODING}. */
    String encoding() default Defaults.ENCODING;
}
