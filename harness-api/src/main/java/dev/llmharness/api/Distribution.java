package dev.llmharness.api;

/** How a token count (prompt or output length) varies from request to request. */
public enum Distribution {
    /** Every request has exactly the given count. */
    FIXED,
    /** Uniform over the inclusive range {@code [min, max]}. */
    UNIFORM,
    /** Normal with the given mean and standard deviation, rounded and clipped to {@code [min, max]}. */
    NORMAL,
    /**
     * Lengths drawn from the {@link Dataset} declared on the same benchmark (prompt lengths for
     * input, reference-answer lengths for output); the prompt text is synthetic.
     */
    EMPIRICAL
}
