package dev.llmharness.runtime.run;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for the JIT compiler to go quiet after a warm-up: the warm-up queues compilations that
 * the compiler threads finish in the background, and on a one-core budget those threads would take
 * the core from the first measured requests. Watches {@link
 * CompilationMXBean#getTotalCompilationTime()}, which grows while any compiler thread works.
 */
final class JitQuiet {
    /** How long compilation time must stay unchanged, ms. */
    static final long QUIET_MILLIS = 50;

    /** The longest wait, ms: a JVM that keeps compiling is not waited for beyond it. */
    static final long MAX_MILLIS = 2_000;

    private JitQuiet() {}

    /**
     * Returns once no compilation time was added for {@value #QUIET_MILLIS} ms, or after {@value
     * #MAX_MILLIS} ms, or at once when the JVM does not report compilation time.
     *
     * @return ms waited
     */
    static long await() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            long now = System.nanoTime();
            long total = jit.getTotalCompilationTime();
            if (total != last) {
                last = total;
                quietSince = now;
            } else if (now - quietSince >= QUIET_MILLIS * 1_000_000L) {
                break;
            }
            if (now - start >= MAX_MILLIS * 1_000_000L) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }
}
