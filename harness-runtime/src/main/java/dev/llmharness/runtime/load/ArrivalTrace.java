package dev.llmharness.runtime.load;

import java.util.Arrays;

/**
 * Recorded arrivals to replay: each request's offset from the first, and optionally its input and
 * output lengths in tokens. Read from a public trace file by {@code data.TraceReader}.
 *
 * <p>Immutable: the arrays are copied in and never handed out.
 */
public final class ArrivalTrace {
    /** Marks a length the trace does not give. */
    public static final int UNKNOWN = -1;

    private final String source;
    private final long[] offsetsNanos;
    private final int[] inputTokens;
    private final int[] outputTokens;

    /**
     * @param source where the trace came from (a file name), for messages and results
     * @param offsetsNanos each request's offset from the first, ns, non-decreasing, starting at 0;
     *     at least one
     * @param inputTokens input length per request, or {@link #UNKNOWN}; same length as the offsets
     * @param outputTokens output length per request, or {@link #UNKNOWN}; same length as the offsets
     */
    public ArrivalTrace(String source, long[] offsetsNanos, int[] inputTokens, int[] outputTokens) {
        if (offsetsNanos.length == 0) {
            throw new IllegalArgumentException(source + ": the trace has no requests");
        }
        if (inputTokens.length != offsetsNanos.length || outputTokens.length != offsetsNanos.length) {
            throw new IllegalArgumentException(source + ": token lengths and arrivals differ in number");
        }
        if (offsetsNanos[0] != 0) {
            throw new IllegalArgumentException(
                    source + ": the first arrival must be at offset 0, got " + offsetsNanos[0] + " ns");
        }
        for (int i = 1; i < offsetsNanos.length; i++) {
            if (offsetsNanos[i] < offsetsNanos[i - 1]) {
                throw new IllegalArgumentException(source + ": arrival " + i + " is earlier than the one before it");
            }
        }
        this.source = source;
        this.offsetsNanos = offsetsNanos.clone();
        this.inputTokens = inputTokens.clone();
        this.outputTokens = outputTokens.clone();
    }

    /** Where the trace came from. */
    public String source() {
        return source;
    }

    /** Number of requests in the trace, {@code >= 1}. */
    public int size() {
        return offsetsNanos.length;
    }

    /** Request {@code i}'s offset from the first, as recorded, ns. */
    public long offsetNanos(int i) {
        return offsetsNanos[i];
    }

    /** Request {@code i}'s input length in tokens, or {@link #UNKNOWN}. */
    public int inputTokens(int i) {
        return inputTokens[i];
    }

    /** Request {@code i}'s output length in tokens, or {@link #UNKNOWN}. */
    public int outputTokens(int i) {
        return outputTokens[i];
    }

    /** From the first arrival to the last, as recorded, ns. */
    public long spanNanos() {
        return offsetsNanos[offsetsNanos.length - 1];
    }

    /** The recorded mean rate, requests per second (0 for one request or a zero span). */
    public double meanRate() {
        return spanNanos() == 0 ? 0 : (size() - 1) / (spanNanos() / 1e9);
    }

    @Override
    public String toString() {
        return "ArrivalTrace[" + source + ", " + size() + " requests over " + spanNanos() / 1e9 + " s, first "
                + Arrays.toString(Arrays.copyOf(offsetsNanos, Math.min(3, size()))) + "]";
    }
}
