package dev.llmharness.api;

/**
 * Limits the runtime enforces, in one place: the annotation processor rejects at compile time
 * what the runtime would reject (or distort) at run time, with the same constants.
 */
public final class Limits {
    /**
     * Largest synthetic prompt or requested output, in tokens (1,048,576): far beyond any context
     * window, yet low enough to catch an unbounded {@code UNIFORM} range.
     */
    public static final int MAX_TOKENS = 1 << 20;

    /**
     * Fewest requests an open-loop measurement window must expect (rate times window length), or
     * count when bounded by requests: below a handful, no latency percentile or throughput figure
     * means anything, and a Poisson window may hold none at all.
     */
    public static final int MIN_EXPECTED_REQUESTS = 5;

    private Limits() {}
}
