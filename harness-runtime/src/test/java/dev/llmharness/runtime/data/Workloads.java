package dev.llmharness.runtime.data;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.spi.DatasetWorkload;

/** Test helpers to build workloads without repeating every default. */
final class Workloads {
    private Workloads() {}

    static DatasetWorkload dataset(DatasetFormat format, String path) {
        return fields(format, path, "", "");
    }

    static DatasetWorkload fields(DatasetFormat format, String path, String promptField, String referenceField) {
        return new DatasetWorkload(
                format,
                path,
                promptField,
                referenceField,
                1,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Defaults.DATASET_OUTPUT_TOKENS,
                false,
                Sampling.WITH_REPLACEMENT,
                0,
                Defaults.ENCODING);
    }

    static DatasetWorkload filtered(
            DatasetWorkload w,
            int minInputTokens,
            int maxInputTokens,
            int maxOutputTokens,
            boolean outputFromReference) {
        return new DatasetWorkload(
                w.format(),
                w.path(),
                w.promptField(),
                w.referenceField(),
                minInputTokens,
                maxInputTokens,
                maxOutputTokens,
                w.outputTokens(),
                outputFromReference,
                w.sampling(),
                w.limit(),
                w.encoding());
    }

    static DatasetWorkload sampled(DatasetWorkload w, Sampling sampling, int limit) {
        return new DatasetWorkload(
                w.format(),
                w.path(),
                w.promptField(),
                w.referenceField(),
                w.minInputTokens(),
                w.maxInputTokens(),
                w.maxOutputTokens(),
                w.outputTokens(),
                w.outputFromReference(),
                sampling,
                limit,
                w.encoding());
    }
}
