package dev.llmharness.api.spi;

/** Where prompts come from: a synthetic token shape or a dataset. */
public sealed interface Workload permits ShapeWorkload, DatasetWorkload {
    /** Tokenizer encoding that token counts are exact under. */
    String encoding();
}
