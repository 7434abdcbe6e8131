package dev.llmharness.runtime.load;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A request thread's wait for its intended instant ({@link IntendedStartWait}), 100 µs ahead: the
 * sampled time of one wait is 100 µs plus how late it returned. Compares parking all the way with
 * parking then spinning the last 50 µs, each with the kernel's default timer slack and with the
 * narrowed one ({@link TimerSlack}). Run it pinned to one CPU ({@code taskset -c 0}) to see the
 * one-core case, where the spin's 50 µs are taken from the threads reading responses.
 *
 * <p>Run: see {@code docs/performance.md} ("Benchmarks of the hot paths").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IntendedStartBenchmark {
    /** How far ahead each wait's instant is, ns. */
    static final long AHEAD_NANOS = 100_000L;

    @Param({"0", "50000"})
    long spinNanos;

    @Param({"default", "narrow"})
    String slack;

    @Setup
    public void setUp() {
        if (slack.equals("narrow")) {
            TimerSlack.narrow();
        }
    }

    @Benchmark
    public long waitForTheInstant() {
        long deadline = System.nanoTime() + AHEAD_NANOS;
        IntendedStartWait.until(deadline, spinNanos);
        return System.nanoTime() - deadline;
    }
}
