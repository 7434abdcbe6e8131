package dev.llmharness.runtime.result;

/**
 * Turns {@link System#nanoTime()} instants into wall-clock labels for per-request files, through
 * one anchor taken when this class loads: every file of a run converts with the same anchor, so
 * their timestamps agree with each other to the nanosecond (and with the wall clock to the
 * accuracy of one {@code currentTimeMillis} reading). Durations are never computed from these
 * labels' source, the wall clock.
 */
final class EpochClock {
    private static final long ANCHOR_NANOS = System.nanoTime();
    private static final long ANCHOR_EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L;

    private EpochClock() {}

    /** Epoch milliseconds with 3 decimals (µs) of a {@code nanoTime} instant, e.g. {@code "1767225600123.456"}. */
    static String epochMillis(long nanoTime) {
        return millis(ANCHOR_EPOCH_NANOS + (nanoTime - ANCHOR_NANOS));
    }

    /** Nanoseconds as milliseconds with 3 decimals, e.g. {@code 1234567 -> "1.234"}; truncated. */
    static String millis(long nanos) {
        long micros = nanos / 1_000;
        String sign = micros < 0 ? "-" : "";
        micros = Math.abs(micros);
        long frac = micros % 1_000;
        return sign + (micros / 1_000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }
}
