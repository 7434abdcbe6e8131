package dev.llmharness.runtime.metrics;

import dev.llmharness.api.spi.SloSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one completed request of 128 token events into a trial's recorder, as the end of
 * every request does (on the event loop's thread with that transport): the counts, the TTFT, TPOT,
 * E2E and dispatch-lag values, 127 ITL gaps, the window's token shares and the per-second
 * timeline. Figures are per request. Compare the ITL gaps recorded value by value into a {@code
 * Recorder} (before) with the gaps of a request recorded at once under a lock (after) by running
 * it on each side's classes.
 *
 * <p>Run: see {@code docs/performance.md} ("Per event and per second").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestRecordBenchmark {
    static final int EVENTS = 128;

    private TrialRecorder recorder;
    private RequestTiming timing;

    @Setup
    public void setUp() {
        long start = System.nanoTime();
        recorder = new TrialRecorder(SloSpec.NONE, start);
        timing = new RequestTiming(0, start, true);
        timing.setRequested(128, EVENTS);
        timing.markSent(start + 50_000);
        long at = start + 2_000_000;
        for (int i = 0; i < EVENTS; i++) {
            timing.onContentEvent(at, 1);
            at += 20_000 + (i * 7_919L) % 5_000; // gaps of 20 to 25 µs, as at ITL 0
        }
        timing.onUsage(128, EVENTS);
        timing.complete(at);
    }

    /** One request's end: what {@code TrialRequests} records for it. */
    @Benchmark
    public TrialRecorder recordRequest() {
        recorder.onEnded(timing);
        return recorder;
    }
}
