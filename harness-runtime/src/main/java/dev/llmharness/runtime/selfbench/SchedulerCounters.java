package dev.llmharness.runtime.selfbench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel's scheduler did to this JVM's threads, summed over the threads alive when read
 * (Linux, {@code /proc/self/task/}): context switches from {@code status} and time spent runnable
 * but waiting for a CPU from {@code schedstat}. Reading costs about 10 µs per thread, so selfbench
 * reads it before and after a trial, never inside its window. Threads that ended between the two
 * reads are missing from the second, so a difference is a lower bound.
 *
 * @param contextSwitches voluntary plus involuntary context switches, {@code -1} when unreadable
 * @param runQueueWaitNanos ns spent waiting on a run queue, {@code -1} when unreadable (no
 *     schedstats in the kernel)
 */
record SchedulerCounters(long contextSwitches, long runQueueWaitNanos) {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** The counters now; both {@code -1} where {@code /proc} is not Linux's. */
    static SchedulerCounters read() {
        if (!Files.isDirectory(TASKS)) {
            return new SchedulerCounters(-1, -1);
        }
        long switches = 0;
        long wait = 0;
        boolean switchesKnown = false;
        boolean waitKnown = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                long s = contextSwitches(task.resolve("status"));
                if (s >= 0) {
                    switches += s;
                    switchesKnown = true;
                }
                long w = runQueueWait(task.resolve("schedstat"));
                if (w >= 0) {
                    wait += w;
                    waitKnown = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new SchedulerCounters(-1, -1);
        }
        return new SchedulerCounters(switchesKnown ? switches : -1, waitKnown ? wait : -1);
    }

    /** {@code voluntary_ctxt_switches + nonvoluntary_ctxt_switches} of one thread, or -1. */
    static long contextSwitches(Path status) {
        try {
            long n = 0;
            int found = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                    found++;
                }
            }
            return found == 2 ? n : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // the thread ended meanwhile, or no such field
        }
    }

    /** The second field of {@code schedstat} (ns waiting on a run queue) of one thread, or -1. */
    static long runQueueWait(Path schedstat) {
        try {
            String[] f = Files.readString(schedstat).strip().split(" ");
            return f.length >= 2 ? Long.parseLong(f[1]) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code (later - this) / requests} of the context switches; {@code NaN} when unknown. */
    double switchesPerRequest(SchedulerCounters later, long requests) {
        if (contextSwitches < 0 || later.contextSwitches < 0 || requests <= 0) {
            return Double.NaN;
        }
        return (double) (later.contextSwitches - contextSwitches) / requests;
    }

    /** {@code (later - this) / requests} of the run-queue wait, ms; {@code NaN} when unknown. */
    double runQueueWaitMillisPerRequest(SchedulerCounters later, long requests) {
        if (runQueueWaitNanos < 0 || later.runQueueWaitNanos < 0 || requests <= 0) {
            return Double.NaN;
        }
        return (later.runQueueWaitNanos - runQueueWaitNanos) / 1e6 / requests;
    }
}
