package dev.llmharness.runtime.metrics;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one place where histogram settings live. Every latency histogram in the harness is created
 * here with identical settings, so that {@link Histogram#add} between any two of them (threads,
 * trials, shards, runs) is exact.
 *
 * <p>Latency values are nanoseconds from {@link System#nanoTime()}; the lowest discernible value
 * is 1 µs, the highest trackable 2 h (LLM requests can run for minutes: nothing is clamped at 60
 * s), with 3 significant decimal digits. Token-count histograms use 1 as the lowest value and
 * track up to 10 million tokens.
 */
public final class Histograms {
    /** Lowest discernible latency value: 1 µs in nanoseconds. */
    public static final long LATENCY_LOWEST_NANOS = 1_000L;

    /** Highest trackable latency value: 2 h in nanoseconds. */
    public static final long LATENCY_HIGHEST_NANOS = 2L * 3_600_000_000_000L;

    /** Highest trackable token count. */
    public static final long TOKENS_HIGHEST = 10_000_000L;

    /** Significant decimal digits kept by every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /**
     * Significant decimal digits of the per-second histograms of a timeline: 2 (values within 1 %),
     * which keeps a second's encoded histogram at about a hundred bytes. All of them share the
     * settings of {@link #newTimelineLatency()}, so they add exactly across shards and runs.
     */
    public static final int TIMELINE_SIGNIFICANT_DIGITS = 2;

    private Histograms() {}

    /** A new latency histogram (nanoseconds). */
    public static Histogram newLatency() {
        return new Histogram(LATENCY_LOWEST_NANOS, LATENCY_HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }

    /**
     * A new per-second latency histogram of a timeline (nanoseconds): the range of {@link
     * #newLatency()} with {@link #TIMELINE_SIGNIFICANT_DIGITS} digits.
     */
    public static Histogram newTimelineLatency() {
        return new Histogram(LATENCY_LOWEST_NANOS, LATENCY_HIGHEST_NANOS, TIMELINE_SIGNIFICANT_DIGITS);
    }

    /** A new token-count histogram (tokens). */
    public static Histogram newTokens() {
        return new Histogram(1, TOKENS_HIGHEST, SIGNIFICANT_DIGITS);
    }

    /**
     * A new wait-free latency recorder (nanoseconds) whose interval histograms have exactly the
     * settings of {@link #newLatency()}, so they add to it without loss.
     */
    public static Recorder newLatencyRecorder() {
        return new Recorder(LATENCY_LOWEST_NANOS, LATENCY_HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }

    /** A new wait-free token-count recorder with the settings of {@link #newTokens()}. */
    public static Recorder newTokensRecorder() {
        return new Recorder(1, TOKENS_HIGHEST, SIGNIFICANT_DIGITS);
    }

    /** Records a latency into a recorder, clamped as {@link #recordLatency(Histogram, long)} does. */
    public static void recordLatency(Recorder recorder, long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, LATENCY_HIGHEST_NANOS)));
    }

    /** Records a token count into a recorder, clamped into [0, {@link #TOKENS_HIGHEST}]. */
    public static void recordTokens(Recorder recorder, long tokens) {
        recorder.recordValue(Math.max(0, Math.min(tokens, TOKENS_HIGHEST)));
    }

    /**
     * Records a latency, clamping it into the trackable range so that an absurd value (a clock
     * anomaly, a request that ran for days) is kept as the extreme it is rather than thrown.
     */
    public static void recordLatency(Histogram histogram, long nanos) {
        long clamped = Math.max(0, Math.min(nanos, LATENCY_HIGHEST_NANOS));
        histogram.recordValue(clamped);
    }

    /**
     * Encodes a histogram in HdrHistogram's compressed V2 format, as base64. The string starts with
     * {@code "HISTF"} and decodes without loss with {@link #decode}.
     */
    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.rewind();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes a string written by {@link #encode}.
     *
     * @throws IllegalArgumentException if the string is not a base64, compressed HdrHistogram
     */
    public static Histogram decode(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("histogram is not valid base64: " + e.getMessage(), e);
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("histogram does not decode as a compressed HdrHistogram: " + e, e);
        }
    }
}
