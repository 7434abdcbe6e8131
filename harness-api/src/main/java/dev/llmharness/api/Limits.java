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

    /**
     * Tokenizer encodings the runtime can load without a download (those bundled with jtokkit):
     * the only values {@code @TokenShape(encoding)} and {@code @Dataset(encoding)} accept.
     */
    public static final java.util.List<String> ENCODINGS =
            java.util.List.of("cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base");

    /**
     * Highest open-loop rate, requests per second (1,000,000: one request a microsecond, the
     * resolution of every latency histogram). Orders of magnitude beyond what one harness can send,
     * so a rate above it is a typo or a runaway {@code --rate-scale}; at such rates the schedule's
     * gaps fall below a nanosecond and the in-flight bounds overflow.
     */
    public static final double MAX_RATE = 1_000_000;

    /**
     * The message refusing a rate above {@link #MAX_RATE}, or {@code null} when it is not above it.
     *
     * @param what how the message names the rate, e.g. {@code "rate"} or {@code "the peak rate"}
     */
    public static String aboveMaxRate(String what, double rate) {
        return rate > MAX_RATE
                ? what + " must be at most " + (long) MAX_RATE + " requests/s (Limits.MAX_RATE), got " + rate
                : null;
    }

    private Limits() {}
}
