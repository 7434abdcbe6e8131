package dev.llmharness.runtime.load;

import dev.llmharness.api.spi.Phase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, from a request's intended start, whether it belongs to the warmup, the measurement
 * window, or neither (the load stops). Thread-safe: closed-loop workers classify concurrently.
 *
 * <p>A phase bounded by time covers intended starts in {@code [phaseStart, phaseStart +
 * duration)}; a phase bounded by a request count covers the next {@code requests} requests. The
 * window starts at the end of a timed warmup, or at the intended start of the first measured
 * request after a counted warmup.
 */
public final class Window {
    /** Where a request falls. */
    public enum Part {
        WARMUP,
        MEASURE,
        DONE
    }

    /**
     * The longest closed-loop stagger: long enough to spread 8–64 workers over many engine steps
     * (10–50 ms each), short enough to fit in a typical warmup.
     */
    public static final Duration MAX_CLOSED_LOOP_STAGGER = Duration.ofSeconds(1);

    private final long trialStart;
    private final Phase warmup;
    private final Phase measurement;
    private final AtomicLong warmupIssued = new AtomicLong();
    private final AtomicLong measuredIssued = new AtomicLong();
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);

    /** @param trialStart {@code nanoTime} of the trial start (schedule offset 0) */
    public Window(long trialStart, Phase warmup, Phase measurement) {
        this.trialStart = trialStart;
        this.warmup = warmup;
        this.measurement = measurement;
    }

    /** Classifies the next request, intended to start at {@code intendedStart}. */
    public Part classify(long intendedStart) {
        if (inWarmup(intendedStart)) {
            return Part.WARMUP;
        }
        windowStart.compareAndSet(
                Long.MIN_VALUE,
                warmup.countsRequests()
                        ? intendedStart
                        : trialStart + warmup.duration().toNanos());
        if (measurement.countsRequests()) {
            return measuredIssued.getAndIncrement() < measurement.requests() ? Part.MEASURE : Part.DONE;
        }
        return intendedStart - windowStart.get() < measurement.duration().toNanos() ? Part.MEASURE : Part.DONE;
    }

    private boolean inWarmup(long intendedStart) {
        if (warmup.isEmpty()) {
            return false;
        }
        if (warmup.countsRequests()) {
            return warmupIssued.get() < warmup.requests() && warmupIssued.getAndIncrement() < warmup.requests();
        }
        return intendedStart - trialStart < warmup.duration().toNanos();
    }

    /** {@code nanoTime} of the window start, or {@link Long#MIN_VALUE} before any request reached it. */
    public long windowStart() {
        return windowStart.get();
    }

    /** The window start expected before any request: exact for a timed warmup, else the trial start. */
    public long expectedWindowStart() {
        long s = windowStart.get();
        if (s != Long.MIN_VALUE) {
            return s;
        }
        return warmup.countsRequests()
                ? trialStart
                : trialStart + warmup.duration().toNanos();
    }

    /**
     * How long a fixed closed loop spreads its workers' first requests: the timed warmup, at most
     * {@link #MAX_CLOSED_LOOP_STAGGER}, so that every worker runs before the window opens; zero
     * without a timed warmup, where the window would otherwise measure the start-up.
     */
    public Duration closedLoopStagger() {
        if (warmup.isEmpty() || warmup.countsRequests()) {
            return Duration.ZERO;
        }
        Duration d = warmup.duration();
        return d.compareTo(MAX_CLOSED_LOOP_STAGGER) < 0 ? d : MAX_CLOSED_LOOP_STAGGER;
    }

    /** Whether the window is bounded by time (else by a request count). */
    public boolean timed() {
        return !measurement.countsRequests();
    }

    /** The window's length in ns when timed. */
    public long durationNanos() {
        return measurement.duration().toNanos();
    }
}
