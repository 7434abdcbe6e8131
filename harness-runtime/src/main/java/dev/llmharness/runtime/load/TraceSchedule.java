package dev.llmharness.runtime.load;

import java.util.Objects;

/**
 * Replays a recorded trace: request {@code i} at the trace's offset {@code i} divided by {@code
 * speedup} (2 replays twice as fast; {@code --rate-scale} multiplies it). Ticks are the trace's
 * recorded nanoseconds, so instants are exact; the schedule ends after the trace's last request.
 * Deterministic: the seed plays no part.
 *
 * @param trace the recorded arrivals
 * @param speedup time compression, finite and {@code > 0}; 1 replays in real time
 */
public record TraceSchedule(ArrivalTrace trace, double speedup) implements ArrivalSchedule {
    /** The window, ns, over which {@link #rateAt} counts recorded arrivals. */
    static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    public TraceSchedule {
        Objects.requireNonNull(trace, "trace");
        if (!Double.isFinite(speedup) || speedup <= 0) {
            throw new IllegalArgumentException("a trace's speed-up must be finite and > 0, got " + speedup);
        }
    }

    @Override
    public long gapTicks(long index) {
        if (index + 1 >= trace.size()) {
            return Long.MAX_VALUE; // past the last request: the cursor ends
        }
        return trace.offsetNanos((int) index + 1) - trace.offsetNanos((int) index);
    }

    @Override
    public long nanosAt(long ticks) {
        if (ticks > trace.spanNanos()) {
            return END;
        }
        return speedup == 1 ? ticks : Math.round(ticks / speedup);
    }

    /**
     * The replayed rate around an offset: recorded arrivals in the {@link #RATE_WINDOW_NANOS}
     * (replayed time) starting at it, per second.
     */
    @Override
    public double rateAt(long offsetNanos) {
        double from = offsetNanos * speedup;
        double to = (offsetNanos + RATE_WINDOW_NANOS) * speedup;
        return (firstAtOrAfter(to) - firstAtOrAfter(from)) / (RATE_WINDOW_NANOS / 1e9);
    }

    /** The highest rate of any one-second window (replayed time) that starts at an arrival. */
    @Override
    public double peakRate() {
        double window = RATE_WINDOW_NANOS * speedup;
        int peak = 0;
        int j = 0;
        for (int i = 0; i < trace.size(); i++) {
            while (j < trace.size() && trace.offsetNanos(j) < trace.offsetNanos(i) + window) {
                j++;
            }
            peak = Math.max(peak, j - i);
        }
        return peak / (RATE_WINDOW_NANOS / 1e9);
    }

    @Override
    public long durationNanos() {
        return Math.round(trace.spanNanos() / speedup) + 1;
    }

    /** The index of the first recorded arrival at or after {@code recordedNanos}. */
    private int firstAtOrAfter(double recordedNanos) {
        int lo = 0;
        int hi = trace.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (trace.offsetNanos(mid) < recordedNanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
