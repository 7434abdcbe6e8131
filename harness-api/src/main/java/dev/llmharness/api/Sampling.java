package dev.llmharness.api;

/** How requests draw records from a dataset; both are seeded and reproducible. */
public enum Sampling {
    /** Each request draws a record independently; records may repeat before all are used. */
    WITH_REPLACEMENT,
    /**
     * Records are shuffled once and taken in turn; no record repeats until all have been used,
     * then a new shuffle starts.
     */
    WITHOUT_REPLACEMENT
}
