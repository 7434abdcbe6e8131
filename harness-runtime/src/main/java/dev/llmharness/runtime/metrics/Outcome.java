package dev.llmharness.runtime.metrics;

/** How a request ended; every request sent ends in exactly one of these. */
public enum Outcome {
    /**
     * The stream ended normally: {@code [DONE]}, or a clean end of the body after the answer's
     * {@code finish_reason} ({@link RequestTiming#unterminated()}).
     */
    COMPLETED,
    /** The request failed; {@link RequestTiming#failure()} says why. */
    FAILED,
    /** The harness cancelled it: drain timeout or interruption. */
    CANCELLED
}
