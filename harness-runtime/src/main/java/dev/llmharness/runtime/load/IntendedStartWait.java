package dev.llmharness.runtime.load;

import java.util.concurrent.locks.LockSupport;

/**
 * How a request thread waits for its intended instant. With more than one CPU it parks, then spins
 * the last {@link OpenLoopDriver#SPIN_NANOS} ns: a park may wake up to the timer slack late, and a
 * spin on a spare core costs nobody else. With one CPU ({@code taskset -c 0}, or {@code
 * -XX:ActiveProcessorCount=1}) a spinning thread holds the only core that the threads reading
 * responses need, for 50 µs per request (8 % of the core at 1,600 requests/s), so it parks all the
 * way; request threads narrow their timer slack ({@link TimerSlack}) so that the park ends on
 * time. Either way the park goes in stages ({@link WakeStages}): a park that ends at the instant
 * after a long idle wakes late on a virtual machine, one that ends a little before it does not.
 */
public final class IntendedStartWait {
    /** Whether to spin the last part of the wait: only with a spare CPU. */
    static final boolean SPIN = Runtime.getRuntime().availableProcessors() > 1;

    private IntendedStartWait() {}

    /** Waits until {@code deadline} ({@code nanoTime}); returns at once when it has passed. */
    public static void until(long deadline) {
        until(deadline, SPIN ? OpenLoopDriver.SPIN_NANOS : 0);
    }

    /** Waits until {@code deadline}, spinning the last {@code spinNanos} ns ({@code >= 0}). */
    static void until(long deadline, long spinNanos) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > spinNanos) {
            LockSupport.parkNanos(WakeStages.park(remaining - spinNanos));
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
