package dev.llmharness.runtime.load;

/**
 * Where a thread that waits for an instant (an open-loop request's intended start) should wake on
 * the way to it: a long wait ends {@value #FAR_NANOS} ns early, a short one {@value #NEAR_NANOS}
 * ns early, and only the last, short park aims at the instant itself.
 *
 * <p>Why. A core with nothing to run halts; on a virtual machine the halted CPU is the hypervisor's
 * to wake, and the first timer after a long halt fires late. Measured on the 2-CPU development VM
 * (a thread pinned to one CPU, {@code LockSupport.parkNanos} to Poisson instants 20-40 ms apart,
 * 500-1,500 waits a setting; docs/performance.md, "Waking on time from an idle core"): one park to
 * the instant woke 0.15-0.17 ms late at the median, 0.37-0.74 ms at p99, and more than 1 ms late
 * in 0.2-0.8 % of the waits, the scale that marks a small trial harness-limited ({@code
 * HarnessLimit}). Parking to 1 ms before the instant, then to 0.1 ms before it, then to the
 * instant: 0.03-0.07 ms at the median, 0.11-0.20 ms at p99, over 1 ms in 0-0.2 %, for 0.03-0.04 ms
 * more CPU a wait (two more wake-ups). A short park lands on time because the CPU has not been
 * halted long (the hypervisor still polls it) and the long park's lateness, up to a millisecond,
 * is absorbed by the early stage. On bare metal the same stages cost the same two wake-ups and
 * shorten the exit from deep idle states.
 *
 * <p>Waits shorter than {@code FAR_NANOS + NEAR_NANOS} (more than about 900 requests/s on one
 * sending thread) skip the far stage, those under {@code 1.5 x NEAR_NANOS} both: at such rates the
 * core does not halt between two instants.
 */
public final class WakeStages {
    /** How early a long wait's first stage ends, ns: the lateness of a wake-up after a long halt. */
    static final long FAR_NANOS = 1_000_000L;

    /** How early the second stage ends, ns: short enough that the CPU is still awake for the last park. */
    static final long NEAR_NANOS = 100_000L;

    private WakeStages() {}

    /**
     * How long to park, ns, when {@code remaining} ns are left until the instant: the park that
     * ends at the next stage. Park this long, read the clock again and ask again until nothing
     * remains.
     *
     * @param remaining ns until the instant, {@code > 0}
     * @return ns to park, in {@code (0, remaining]}
     */
    public static long park(long remaining) {
        if (remaining > FAR_NANOS + NEAR_NANOS) {
            return remaining - FAR_NANOS;
        }
        if (remaining > NEAR_NANOS + NEAR_NANOS / 2) {
            return remaining - NEAR_NANOS;
        }
        return remaining;
    }

    /**
     * The instant ({@code nanoTime}) at which to wake next on the way to {@code instant}: for a
     * timer that is armed rather than a park (an event loop's alarm).
     *
     * @param instant the instant waited for ({@code nanoTime})
     * @param now the current {@code nanoTime}
     * @return {@code instant} itself when it has come or is near, else an earlier stage
     */
    public static long wakeAt(long instant, long now) {
        long remaining = instant - now;
        return remaining <= 0 ? instant : now + park(remaining);
    }
}
