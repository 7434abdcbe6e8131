package dev.llmharness.runtime.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Per-second figures from the start of the measurement window. Every value is filed under the
 * second in which it was observed: a request's intended start under {@code started}, its end under
 * {@code completed} or {@code failed}, each content event's share of the output tokens, each TTFT
 * under the second of the first token, each E2E under the second of the last token, each ITL gap
 * under the second the gap ended. In-flight time is spread over every second a request spent
 * between send and end.
 *
 * <p>Written once per request at its end (never per token event), so a lock is cheap enough.
 * Latencies go into sparse per-second {@link BucketCounts}, which hold a few dozen buckets where a
 * full histogram would hold thousands of counters; {@link #seconds()} turns them into histograms
 * of {@link Histograms#newTimelineLatency()}'s settings. Seconds before the window start are
 * ignored, as is anything more than a week after it.
 */
final class Timeline {
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long MAX_SECONDS = 86_400L * 7;

    /** Only its bucketing is used ({@link Histogram#lowestEquivalentValue}); never recorded into. */
    private static final Histogram BUCKETS = Histograms.newTimelineLatency();

    private final LongSupplier windowStartNanos;
    private long[] started = new long[64];
    private long[] completed = new long[64];
    private long[] failed = new long[64];
    private long[] tokens = new long[64];
    private long[] busyNanos = new long[64];
    private BucketCounts[] ttft = new BucketCounts[64];
    private BucketCounts[] itl = new BucketCounts[64];
    private BucketCounts[] e2e = new BucketCounts[64];
    private int seconds;

    Timeline(LongSupplier windowStartNanos) {
        this.windowStartNanos = windowStartNanos;
    }

    /** Files one measured request that has reached its outcome. */
    synchronized void ended(RequestTiming t) {
        long origin = windowStartNanos.getAsLong();
        int s = slot(t.intendedStart(), origin);
        if (s >= 0) {
            started[s]++;
        }
        if (t.isSent()) {
            inFlight(t.sent(), t.end(), origin);
        }
        switch (t.outcome()) {
            case CANCELLED -> {}
            case FAILED -> count(failed, t.end(), origin);
            case COMPLETED -> {
                count(completed, t.end(), origin);
                if (t.nonStreamed()) {
                    // The whole answer arrived at its end: its tokens and E2E belong to that second.
                    int at = slot(t.end(), origin);
                    if (at >= 0) {
                        tokens[at] += t.outputTokens();
                        e2e[at] = add(e2e[at], t.e2eNanos());
                    }
                } else if (t.hasFirstToken()) {
                    tokens(t, t.outputTokens(), origin);
                    latencies(t, origin);
                }
            }
        }
    }

    private void count(long[] counts, long nanos, long origin) {
        int s = slot(nanos, origin);
        if (s >= 0) {
            counts[s]++;
        }
    }

    /** Adds the part of {@code [from, to)} that falls in each second to that second's busy time. */
    private void inFlight(long from, long to, long origin) {
        long start = Math.max(from - origin, 0);
        long end = to - origin;
        if (end <= start || end / SECOND_NANOS > MAX_SECONDS) {
            return;
        }
        for (long s = start / SECOND_NANOS; s * SECOND_NANOS < end; s++) {
            long overlap = Math.min(end, (s + 1) * SECOND_NANOS) - Math.max(start, s * SECOND_NANOS);
            // ensure() first: it may replace busyNanos, and "busyNanos[ensure(s)]" would index the old array.
            int slot = ensure((int) s);
            busyNanos[slot] += overlap;
        }
    }

    /**
     * Spreads a completed request's output tokens over its content events, so that each second gets
     * the tokens that arrived in it; the shares are integers that sum exactly to {@code total}.
     */
    private void tokens(RequestTiming t, long total, long origin) {
        int n = t.contentEvents();
        if (n == 0) {
            return;
        }
        int first = slot(t.eventNanos(0), origin);
        if (first >= 0) {
            // When every event falls in the first one's second (a request of a few milliseconds),
            // that second gets every share, which add up to the total exactly: no division per event.
            long from = first * SECOND_NANOS;
            long to = from + SECOND_NANOS;
            boolean one = true;
            for (int i = 1; i < n && one; i++) {
                long offset = t.eventNanos(i) - origin;
                one = offset >= from && offset < to;
            }
            if (one) {
                tokens[first] += total;
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            long share = total * (i + 1) / n - total * i / n;
            int s = slot(t.eventNanos(i), origin);
            if (s >= 0) {
                tokens[s] += share;
            }
        }
    }

    private void latencies(RequestTiming t, long origin) {
        int s = slot(t.firstToken(), origin);
        if (s >= 0) {
            ttft[s] = add(ttft[s], t.ttftNanos());
        }
        s = slot(t.lastToken(), origin);
        if (s >= 0) {
            e2e[s] = add(e2e[s], t.e2eNanos());
        }
        for (int i = 1; i < t.contentEvents(); i++) {
            long at = t.eventNanos(i);
            s = slot(at, origin);
            if (s >= 0) {
                itl[s] = add(itl[s], at - t.eventNanos(i - 1));
            }
        }
    }

    /** Adds a latency (clamped as {@link Histograms#recordLatency} does) to a second's counts. */
    private static BucketCounts add(BucketCounts counts, long nanos) {
        BucketCounts c = counts == null ? new BucketCounts() : counts;
        long clamped = Math.max(0, Math.min(nanos, Histograms.LATENCY_HIGHEST_NANOS));
        c.increment(BUCKETS.lowestEquivalentValue(clamped));
        return c;
    }

    private int slot(long nanos, long origin) {
        long offset = nanos - origin;
        if (offset < 0 || offset / SECOND_NANOS > MAX_SECONDS) {
            return -1;
        }
        return ensure((int) (offset / SECOND_NANOS));
    }

    /** Grows the arrays to hold second {@code i} and notes it as seen; returns {@code i}. */
    private int ensure(int i) {
        if (i >= started.length) {
            int size = Math.max(started.length * 2, i + 1);
            started = Arrays.copyOf(started, size);
            completed = Arrays.copyOf(completed, size);
            failed = Arrays.copyOf(failed, size);
            tokens = Arrays.copyOf(tokens, size);
            busyNanos = Arrays.copyOf(busyNanos, size);
            ttft = Arrays.copyOf(ttft, size);
            itl = Arrays.copyOf(itl, size);
            e2e = Arrays.copyOf(e2e, size);
        }
        seconds = Math.max(seconds, i + 1);
        return i;
    }

    /** One entry per second from 0 to the last second anything happened in. */
    synchronized List<TrialMetrics.Second> seconds() {
        List<TrialMetrics.Second> out = new ArrayList<>(seconds);
        for (int i = 0; i < seconds; i++) {
            Map<String, Histogram> latency = new LinkedHashMap<>();
            put(latency, Metric.TTFT.key(), ttft[i]);
            put(latency, Metric.ITL.key(), itl[i]);
            put(latency, Metric.E2E.key(), e2e[i]);
            out.add(new TrialMetrics.Second(
                    i, started[i], completed[i], failed[i], tokens[i], busyNanos[i] / 1_000L, latency));
        }
        return out;
    }

    private static void put(Map<String, Histogram> latency, String name, BucketCounts counts) {
        if (counts != null && !counts.isEmpty()) {
            Histogram h = Histograms.newTimelineLatency();
            counts.addTo(h);
            latency.put(name, h);
        }
    }
}
