package dev.llmharness.runtime.selfbench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples, every {@value #PERIOD_MILLIS} ms on a daemon thread: this JVM's process CPU time less
 * the sampler thread's own (reading {@code /proc} 20 times a second costs about 3 ms of CPU per
 * second, which is selfbench's, not the harness's: 0.3 ms per request at 10 requests/s), the
 * simulator process's CPU time (from {@code /proc/PID/stat}, Linux) and this JVM's heap in use.
 * CPU over a window is then interpolated from the samples around its ends.
 */
final class ResourceSampler implements AutoCloseable {
    static final long PERIOD_MILLIS = 50;

    /** Linux reports process times in clock ticks of USER_HZ, 100 per second on every Linux ABI. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private record Sample(long nanos, long cpuNanos, long simCpuNanos, int threads) {}

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Path simStat;
    private final List<Sample> samples = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean stopped;
    private long heapUsedMax;
    private long ownCpuNanos; // guarded by this

    ResourceSampler(long simPid) {
        this.simStat = simPid > 0 ? Path.of("/proc", Long.toString(simPid), "stat") : null;
        sample();
        thread = new Thread(this::loop, "llmh-selfbench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        long heap = memory.getHeapMemoryUsage().getUsed();
        long simCpu = simCpuNanos();
        Sample s =
                new Sample(System.nanoTime(), os.getProcessCpuTime() - ownCpuNanos(), simCpu, threads.getThreadCount());
        synchronized (this) {
            samples.add(s);
            heapUsedMax = Math.max(heapUsedMax, heap);
        }
    }

    /**
     * CPU time of the sampler thread so far, ns; 0 before it started or when unsupported; once it
     * has ended, the last figure read.
     */
    private synchronized long ownCpuNanos() {
        Thread t = thread;
        if (t == null || !threads.isThreadCpuTimeSupported()) {
            return ownCpuNanos;
        }
        long n = Thread.currentThread() == t ? threads.getCurrentThreadCpuTime() : threads.getThreadCpuTime(t.getId());
        if (n > ownCpuNanos) {
            ownCpuNanos = n;
        }
        return ownCpuNanos;
    }

    private long simCpuNanos() {
        if (simStat == null) {
            return -1;
        }
        try {
            String stat = Files.readString(simStat);
            // Fields after the command name (which may hold spaces) start at field 3 (state).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's CPU over [from, to] in cores used; {@code NaN} when the window is empty. */
    synchronized double harnessCores(long from, long to) {
        return cores(from, to, false);
    }

    /** The simulator's CPU over [from, to] in cores used; {@code NaN} when unreadable. */
    synchronized double simulatorCores(long from, long to) {
        return cores(from, to, true);
    }

    /**
     * Most live threads of this JVM seen in a sample within [from, to] (every {@value
     * #PERIOD_MILLIS} ms, so a shorter peak can be missed); 0 when no sample falls inside.
     */
    synchronized int peakThreads(long from, long to) {
        int peak = 0;
        for (Sample s : samples) {
            if (s.nanos - from >= 0 && s.nanos - to <= 0) {
                peak = Math.max(peak, s.threads);
            }
        }
        return peak;
    }

    /** Largest heap in use seen, bytes. */
    synchronized long heapUsedMax() {
        return heapUsedMax;
    }

    long heapMax() {
        return memory.getHeapMemoryUsage().getMax();
    }

    private double cores(long from, long to, boolean sim) {
        Sample a = nearest(from);
        Sample b = nearest(to);
        if (a == null || b == null || b.nanos <= a.nanos) {
            return Double.NaN;
        }
        long ca = sim ? a.simCpuNanos : a.cpuNanos;
        long cb = sim ? b.simCpuNanos : b.cpuNanos;
        if (ca < 0 || cb < 0) {
            return Double.NaN;
        }
        return (double) (cb - ca) / (b.nanos - a.nanos);
    }

    private Sample nearest(long nanos) {
        Sample best = null;
        for (Sample s : samples) {
            if (best == null || Math.abs(s.nanos - nanos) < Math.abs(best.nanos - nanos)) {
                best = s;
            }
        }
        return best;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
