package dev.llmharness.runtime.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-second counts from the start of the measurement window: completions, failures and output
 * tokens by the second they happened in. Written at request end (never per token event), so a lock
 * is cheap enough; seconds before the window start are ignored.
 */
final class Timeline {
    private final java.util.function.LongSupplier windowStartNanos;
    private long[] completed = new long[64];
    private long[] failed = new long[64];
    private long[] tokens = new long[64];
    private int seconds;

    Timeline(java.util.function.LongSupplier windowStartNanos) {
        this.windowStartNanos = windowStartNanos;
    }

    synchronized void completed(long nanos) {
        int s = slot(nanos);
        if (s >= 0) {
            completed[s]++;
        }
    }

    synchronized void failed(long nanos) {
        int s = slot(nanos);
        if (s >= 0) {
            failed[s]++;
        }
    }

    /**
     * Spreads a completed request's output tokens over its content events, so that each second gets
     * the tokens that arrived in it; the shares are integers that sum exactly to {@code total}.
     */
    synchronized void tokens(RequestTiming t, long total) {
        int n = t.contentEvents();
        for (int i = 0; i < n; i++) {
            long share = total * (i + 1) / n - total * i / n;
            int s = slot(t.eventNanos(i));
            if (s >= 0) {
                tokens[s] += share;
            }
        }
    }

    private int slot(long nanos) {
        long offset = nanos - windowStartNanos.getAsLong();
        if (offset < 0) {
            return -1;
        }
        long s = offset / 1_000_000_000L;
        if (s > 86_400L * 7) {
            return -1;
        }
        int i = (int) s;
        if (i >= completed.length) {
            int size = Math.max(completed.length * 2, i + 1);
            completed = Arrays.copyOf(completed, size);
            failed = Arrays.copyOf(failed, size);
            tokens = Arrays.copyOf(tokens, size);
        }
        seconds = Math.max(seconds, i + 1);
        return i;
    }

    /** One entry per second from 0 to the last second anything happened in. */
    synchronized List<Second> seconds() {
        List<Second> out = new ArrayList<>(seconds);
        for (int i = 0; i < seconds; i++) {
            out.add(new Second(i, completed[i], failed[i], tokens[i]));
        }
        return out;
    }

    /** One second's counts. */
    record Second(int second, long completed, long failed, long outputTokens) {}
}
