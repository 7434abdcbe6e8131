package dev.llmharness.runtime.run;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How long a trial's requests held their connection, from {@code sent} to their end (completed,
 * failed or cancelled alike: each held a connection that long), for sizing {@code --preopen auto}
 * ({@link Preopen#size}). Recording is wait-free, on the requests' threads; reading is for the
 * trial's own thread.
 */
final class HoldTimes {
    private final Recorder recorder = Histograms.newLatencyRecorder();
    private final Histogram total = Histograms.newLatency();
    /** The recorder's last interval, handed back to it: the warmup's sizing reads every 50 ms. */
    private Histogram interval;

    /** Records {@code t}'s hold time, if it was sent. */
    void record(RequestTiming t) {
        if (t.isSent()) {
            Histograms.recordLatency(recorder, t.end() - t.sent());
        }
    }

    /** Forgets what was recorded so far (the first requests of a warmup, slow while the JVMs compile). */
    synchronized void reset() {
        interval = recorder.getIntervalHistogram(interval);
        total.reset();
    }

    /** Requests recorded so far. */
    synchronized long count() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.getTotalCount();
    }

    /**
     * The hold times so far as a measurement for {@link Preopen#size}, or {@code null} when none was
     * recorded.
     *
     * @param source what the requests were, e.g. {@code "warmup requests"}
     */
    synchronized Preopen.Measured measured(String source) {
        long n = count();
        if (n == 0) {
            return null;
        }
        long p99 = Math.max(1, total.getValueAtPercentile(99));
        return new Preopen.Measured(Duration.ofNanos(p99), n, source);
    }
}
