package dev.llmharness.runtime.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints how late a thread with nothing else to do wakes for Poisson instants, parking to each
 * instant at once ({@code once}) or in {@link WakeStages} ({@code staged}), and its CPU per wait:
 * the figures behind {@link WakeStages}. A main program, not a test (timing on a shared machine is
 * not a pass/fail matter). Pin it to a core the way the harness runs:
 *
 * <pre>
 * taskset -c 0 java -cp harness-runtime/target/test-classes:harness-runtime/target/classes \
 *     dev.llmharness.runtime.load.IdleWakeProbe 20 1500
 * </pre>
 *
 * Arguments: the mean gap between instants in ms (default 20), waits per setting (default 1,500).
 * Each setting runs twice, alternating, after 50 unreported waits.
 */
public final class IdleWakeProbe {
    private IdleWakeProbe() {}

    public static void main(String[] args) {
        double gapMs = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int waits = args.length > 1 ? Integer.parseInt(args[1]) : 1_500;
        System.out.printf(
                "mean gap %.1f ms, %d waits a setting, %d CPUs%n",
                gapMs, waits, Runtime.getRuntime().availableProcessors());
        for (int round = 0; round < 2; round++) {
            for (boolean staged : new boolean[] {false, true}) {
                measure(gapMs, waits, staged, round);
            }
        }
    }

    private static void measure(double gapMs, int waits, boolean staged, long seed) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(seed);
        long[] late = new long[waits];
        long cpuBefore = 0;
        for (int i = -50; i < waits; i++) {
            if (i == 0) {
                cpuBefore = threads.getCurrentThreadCpuTime();
            }
            long gap = (long) (-Math.log(1 - random.nextDouble()) * gapMs * 1e6);
            long instant = System.nanoTime() + gap;
            long remaining;
            while ((remaining = instant - System.nanoTime()) > 0) {
                LockSupport.parkNanos(staged ? WakeStages.park(remaining) : remaining);
            }
            if (i >= 0) {
                late[i] = System.nanoTime() - instant;
            }
        }
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e6 / waits;
        Arrays.sort(late);
        long overHalf = Arrays.stream(late).filter(x -> x > 500_000L).count();
        long overOne = Arrays.stream(late).filter(x -> x > 1_000_000L).count();
        System.out.printf(
                "%-6s late p50 %.3f p90 %.3f p99 %.3f max %.3f ms; over 0.5 ms %d, over 1 ms %d of %d;"
                        + " CPU %.3f ms a wait%n",
                staged ? "staged" : "once",
                late[waits / 2] / 1e6,
                late[waits * 9 / 10] / 1e6,
                late[waits * 99 / 100] / 1e6,
                late[waits - 1] / 1e6,
                overHalf,
                overOne,
                waits,
                cpuMs);
    }
}
