package dev.llmharness.runtime.selfbench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits, between two selfbench steps, until the JVM's JIT compilers have gone quiet. Selfbench
 * analyses each step on its main thread (parsing the simulator's ground truth, sorting and matching
 * tens of thousands of samples), and C2 then compiles that code for seconds of CPU, in the next
 * step's window: on one core that was more than half the CPU charged to the harness's requests at
 * the first points (measured at 200 requests/s, 2026-12-06, docs/performance.md "CPU per request").
 * That is selfbench's own cost, not the harness's; {@code llmh run} has no such analysis between
 * its trials, so only selfbench waits. The compilers' CPU time is read from {@code
 * /proc/self/task/TID/schedstat} (Linux; elsewhere nothing is waited for).
 */
final class CompilerQuiet {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** How long the compilers must have used less than {@link #QUIET_CPU_NANOS} to count as quiet. */
    static final long QUIET_SPAN_NANOS = 300_000_000L;

    /** Compiler CPU over {@link #QUIET_SPAN_NANOS} that still counts as quiet: 1 %. */
    static final long QUIET_CPU_NANOS = 3_000_000L;

    private CompilerQuiet() {}

    /**
     * Waits until the compiler threads used under {@link #QUIET_CPU_NANOS} of CPU over {@link
     * #QUIET_SPAN_NANOS}, or {@code maxNanos} has passed.
     *
     * @return ns waited
     */
    static long await(long maxNanos) throws InterruptedException {
        long start = System.nanoTime();
        long before = compilerCpuNanos();
        if (before < 0) {
            return 0;
        }
        while (System.nanoTime() - start < maxNanos) {
            Thread.sleep(QUIET_SPAN_NANOS / 1_000_000L);
            long now = compilerCpuNanos();
            if (now - before < QUIET_CPU_NANOS) {
                break;
            }
            before = now;
        }
        return System.nanoTime() - start;
    }

    /** CPU time of this JVM's compiler threads so far, ns; -1 where {@code /proc} is not Linux's. */
    static long compilerCpuNanos() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    try {
                        String[] f = Files.readString(task.resolve("schedstat"))
                                .strip()
                                .split(" ");
                        sum += Long.parseLong(f[0]);
                    } catch (IOException | RuntimeException e) {
                        // ended meanwhile, or no schedstat: counts as no time
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }
}
