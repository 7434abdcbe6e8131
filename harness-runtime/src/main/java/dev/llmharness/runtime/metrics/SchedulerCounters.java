package dev.llmharness.runtime.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel's scheduler had done to this JVM's threads at one instant, thread by thread
 * (Linux, {@code /proc/self/task/TID/schedstat}: time on a CPU, time runnable but waiting on a run
 * queue for one, and how many times the thread was put on a CPU). The one reader of those counters:
 * {@code llmh run} records a trial's window with it and selfbench reads its figures from there.
 *
 * <p>A thread's counters run from its birth, so what happened in a window is the difference of two
 * reads, one at each end ({@link #until}). A thread absent from the first read was born inside the
 * window: it counts from 0. A thread that ended before the second read is lost, with everything it
 * did inside the window (its counters end with it), so a window's figure is a lower bound. The
 * threads that matter live through the window: the event loop's threads and the virtual threads'
 * carriers as long as the transport and the JVM, and the dispatcher and a platform request pool
 * until the trial's drain is over, after the second read. What is lost is the odd short-lived
 * thread, and the end of a dispatcher that stopped early because the trial was interrupted.
 *
 * <p>Which threads count ({@link #counted}): every thread of this JVM that can delay a send or a
 * read, which is what the figure is for; the reader threads are what matters. Left out:
 *
 * <ul>
 *   <li>threads at {@code SCHED_IDLE} (HotSpot's compilers and the harness's housekeeping, demoted
 *       by {@code IdlePriority}): built to wait whenever another thread wants the core, they wait on
 *       a busy core by design, and a normal thread that wakes preempts them at once, so their wait
 *       delays no read;
 *   <li>HotSpot's JIT compiler threads at normal priority ({@code --jit-priority normal}): a
 *       compilation that waits delays no read, and one that runs shows as the readers' wait;
 *   <li>the simulator's threads when it runs inside this JVM (tests): they are the server's;
 *   <li>the thread that takes the reads ({@link #READER_THREAD}): it measures, it is not measured.
 * </ul>
 *
 * The garbage collector's threads count: a stop-the-world pause holds every Java thread, the
 * readers included, until the GC workers finish, so a GC worker that waits for a CPU lengthens the
 * pause and delays every read behind it (and the concurrent GC threads wake too rarely to weigh).
 *
 * <p>Where {@code /proc} has no {@code schedstat} (not Linux, or a kernel built without {@code
 * CONFIG_SCHED_INFO}), {@link #read()} returns {@code null}: the figure is absent, never made up. A
 * read costs a few microseconds per thread (two small files each), so the run path reads twice per
 * trial, from a thread of its own, and never on a request's path.
 *
 * @param nanoTime {@code System.nanoTime()} when the read began
 * @param threads every thread read, counted or not, by thread id (TID)
 */
public record SchedulerCounters(long nanoTime, Map<Long, ThreadCounters> threads) {
    /** The name of the thread that takes the run path's reads: left out of the counts. */
    public static final String READER_THREAD = "llmh-schedstat";

    /** {@code policy} (field 41 of {@code /proc/TID/stat}) of a {@code SCHED_IDLE} thread. */
    static final int SCHED_IDLE = 5;

    /**
     * The {@code comm} prefixes (15 characters at most) of the threads left out whatever their
     * priority: HotSpot's compilers (as {@code IdlePriority} names them), the in-JVM simulator's
     * threads ({@code SimServer.THREAD_PREFIX}) and the reader.
     */
    private static final List<String> LEFT_OUT = List.of(
            "C1 CompilerThre",
            "C2 CompilerThre",
            "JVMCI",
            dev.llmharness.runtime.sim.SimServer.THREAD_PREFIX,
            READER_THREAD);

    private static final Path TASKS = Path.of("/proc/self/task");

    /** Whether this kernel keeps the counters: decided once. */
    private static final class Support {
        static final boolean AVAILABLE = Files.isDirectory(TASKS) && Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    public SchedulerCounters {
        threads = Map.copyOf(threads);
    }

    /**
     * One thread's counters since its birth.
     *
     * @param counted whether the thread counts ({@link #counted}); a thread left out is kept so that
     *     it is not taken for one born later
     * @param onCpuNanos time it ran on a CPU, ns
     * @param runQueueWaitNanos time it was runnable but waiting on a run queue for a CPU, ns
     * @param timeslices times it was put on a CPU, each after a wake-up or a preemption
     */
    public record ThreadCounters(boolean counted, long onCpuNanos, long runQueueWaitNanos, long timeslices) {
        /** Whether any counter is below {@code earlier}'s: a different thread under a reused TID. */
        boolean below(ThreadCounters earlier) {
            return onCpuNanos < earlier.onCpuNanos
                    || runQueueWaitNanos < earlier.runQueueWaitNanos
                    || timeslices < earlier.timeslices;
        }
    }

    /**
     * What the counted threads did between two reads ({@link #until}).
     *
     * @param spanNanos from the first read to the second, ns
     * @param onCpuNanos their time on a CPU, ns, summed over the threads
     * @param runQueueWaitNanos their time runnable but waiting for a CPU, ns, summed over the threads
     * @param timeslices times one of them was put on a CPU
     * @param lostThreads counted threads of the first read that had ended by the second: what they
     *     did in between is missing
     */
    public record Delta(long spanNanos, long onCpuNanos, long runQueueWaitNanos, long timeslices, int lostThreads) {}

    /** Whether {@link #read()} can read the counters here: Linux with schedstats. */
    public static boolean available() {
        return Support.AVAILABLE;
    }

    /**
     * The counters of every thread of this JVM now; {@code null} where they cannot be read (see
     * {@link #available()}), or when {@code /proc} could not be listed. A thread that ends while it
     * is read is left out. Costs a few microseconds per thread: not for a request's path.
     */
    public static SchedulerCounters read() {
        if (!available()) {
            return null;
        }
        long now = System.nanoTime();
        Map<Long, ThreadCounters> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                long tid;
                try {
                    tid = Long.parseLong(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue; // /proc/self/task holds thread ids only; anything else is not a thread
                }
                ThreadCounters c = readThread(task);
                if (c != null) {
                    threads.put(tid, c);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return null; // a partial list would be taken for threads that ended: no figure instead
        }
        return new SchedulerCounters(now, threads);
    }

    /** One thread's counters, or {@code null} when it ended while read. */
    private static ThreadCounters readThread(Path task) {
        try {
            // Bytes, not UTF-8: a thread name cut at 15 bytes may end inside a character.
            String stat = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.ISO_8859_1);
            String schedstat = new String(Files.readAllBytes(task.resolve("schedstat")), StandardCharsets.ISO_8859_1);
            return parse(counted(comm(stat), policy(stat)), schedstat);
        } catch (IOException e) {
            return null; // the thread ended meanwhile
        }
    }

    /**
     * Whether a thread counts: not one of {@link #LEFT_OUT} by name, and not at {@code SCHED_IDLE}
     * (see the class comment for why).
     *
     * @param comm the thread's {@code comm} (its name, cut to 15 bytes)
     * @param policy its scheduling policy, {@code -1} when unknown (then the name decides)
     */
    static boolean counted(String comm, int policy) {
        if (policy == SCHED_IDLE) {
            return false;
        }
        for (String prefix : LEFT_OUT) {
            if (comm.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** The {@code comm} of a {@code stat} line: between the first '(' and the last ')' (it may hold both). */
    static String comm(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open < 0 || close < open ? "" : stat.substring(open + 1, close);
    }

    /** Field 41 ({@code policy}) of a {@code stat} line, or {@code -1} when it has none. */
    static int policy(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            return -1;
        }
        // Fields after the name start at field 3 (state).
        String[] f = stat.substring(close + 2).strip().split(" ");
        try {
            return f.length > 41 - 3 ? Integer.parseInt(f[41 - 3]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A {@code schedstat} line ({@code "<on-CPU ns> <run-queue wait ns> <timeslices>"}), or {@code
     * null} when it is not one.
     */
    static ThreadCounters parse(boolean counted, String schedstat) {
        String[] f = schedstat.strip().split(" ");
        if (f.length < 3) {
            return null;
        }
        try {
            return new ThreadCounters(counted, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * What the counted threads did from this read to {@code later}: each thread that counts in
     * {@code later}, minus its counters here. A thread not here (born in between), or whose counters
     * went down (its TID reused by a new thread), counts from 0; a counted thread here that is not
     * in {@code later} had ended, and is lost ({@link Delta#lostThreads}).
     */
    public Delta until(SchedulerCounters later) {
        long cpu = 0;
        long wait = 0;
        long slices = 0;
        for (Map.Entry<Long, ThreadCounters> e : later.threads.entrySet()) {
            ThreadCounters now = e.getValue();
            if (!now.counted()) {
                continue;
            }
            ThreadCounters then = threads.get(e.getKey());
            if (then == null || now.below(then)) {
                cpu += now.onCpuNanos();
                wait += now.runQueueWaitNanos();
                slices += now.timeslices();
            } else {
                cpu += now.onCpuNanos() - then.onCpuNanos();
                wait += now.runQueueWaitNanos() - then.runQueueWaitNanos();
                slices += now.timeslices() - then.timeslices();
            }
        }
        int lost = 0;
        for (Map.Entry<Long, ThreadCounters> e : threads.entrySet()) {
            if (e.getValue().counted() && !later.threads.containsKey(e.getKey())) {
                lost++;
            }
        }
        return new Delta(Math.max(0, later.nanoTime - nanoTime), cpu, wait, slices, lost);
    }
}
