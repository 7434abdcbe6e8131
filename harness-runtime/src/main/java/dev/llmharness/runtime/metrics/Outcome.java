package dev.llmharness.runtime.metrics;

/** How a request ended; every request sent ends in exactly one of these. */
public enum Outcome {
    /** The stream ended normally ({@code [DONE]}). */
    COMPLETED,
    /** The request failed; {@link RequestTiming#failure()} says why. */
    FAILED,
    /** The harness cancelled it: drain timeout or interruption. */
    CANCELLED
}
