package dev.llmharness.runtime.load;

import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs the work that is not on a request's path at idle priority (Linux {@code SCHED_IDLE}): the
 * JVM's JIT compiler threads and the harness's own housekeeping threads (stall watch, progress,
 * metrics scraping, selfbench's samplers).
 *
 * <p>Why: on a one-core load machine a thread that must send or read at an instant waits for
 * whatever else is running, and the kernel's fair scheduler does not preempt a thread that has not
 * yet used its share. Profiling ({@code perf sched}) at 10 requests/s showed every large wake-up
 * delay of the event loop (1.7-4.4 ms) behind a C1 or C2 compiler thread that had started compiling
 * request code a moment before; at low rates the compilers keep running for minutes, because
 * per-request code reaches their thresholds slowly. A {@code SCHED_IDLE} thread runs only when no
 * normal thread wants the core, and a normal thread's wake-up preempts it at once, so the compilers
 * and the housekeeping use the idle time between requests and never delay a send or a read.
 *
 * <p>How, without native code: a thread's id (TID) is the last element of {@code
 * /proc/thread-self} (for a thread demoting itself) or a directory of {@code /proc/self/task} whose
 * {@code comm} names a compiler thread; the policy is set by {@code chrt -i -p 0 TID} (util-linux),
 * run once per thread, and read back from field 41 of {@code /proc/self/task/TID/stat} so that a
 * thread already idle is skipped. Threads created by an idle thread inherit the policy, so the
 * compiler threads the JVM adds later (created by a compiler thread) start idle; {@link
 * #demoteCompilerThreads} is called before every trial and catches any other.
 *
 * <p>The failure mode: a harness that needs 100 % of its core leaves idle threads only the small
 * share the kernel gives {@code SCHED_IDLE} (weight 3 against 1,024 of a normal thread, about 0.3
 * %). Compilation then crawls and the hot path stays interpreted longer, progress lines come late,
 * and a stalled stream's timeout fires late. Such a trial is harness-limited in any case (its
 * dispatch lag says so and the result warns); {@code --jit-priority normal} ({@value #PROPERTY})
 * restores the JVM's own priorities.
 *
 * <p>Where it cannot be done (not Linux, no {@code chrt}, refused) it says so once on stderr, in
 * one line, and everything runs at normal priority. Thread-safe.
 */
public final class IdlePriority {
    /** System property of the default mode: {@code idle} or {@code normal}. */
    public static final String PROPERTY = "llmh.jitPriority";

    /** {@code policy} in {@code /proc/TID/stat} of a {@code SCHED_IDLE} thread. */
    static final int SCHED_IDLE = 5;

    static final Path TASKS = Path.of("/proc/self/task");
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    /** The {@code comm} prefixes (15 characters at most) of HotSpot's compiler threads. */
    private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre", "JVMCI");

    /** Whether compiler and housekeeping threads run at idle or normal priority. */
    public enum Mode {
        /** {@code SCHED_IDLE}: the default. */
        IDLE("idle"),
        /** The JVM's own priorities: nothing is changed. */
        NORMAL("normal");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        /** The option's value. */
        public String label() {
            return label;
        }

        /**
         * The mode named {@code text}; {@code null} or blank gives {@link #fromProperty()}.
         *
         * @throws IllegalArgumentException naming the option, the value and the accepted values
         */
        public static Mode parse(String text) {
            return SETTING.parse(text);
        }

        /**
         * {@code -Dllmh.jitPriority}, else {@link #IDLE}.
         *
         * @throws IllegalArgumentException naming the property, the value and the accepted values
         */
        public static Mode fromProperty() {
            return SETTING.fromProperty();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * The setting ({@code --jit-priority}, {@value #PROPERTY}): {@code idle} or {@code normal},
     * {@code idle} when not set.
     */
    public static final Choice<Mode> SETTING =
            Choice.ofEnum(PROPERTY, "--jit-priority", Mode.values(), Mode::label, Mode.IDLE);

    private static final Object LOCK = new Object();
    private static volatile Mode mode;
    private static volatile PrintStream warnings = System.err;
    private static String unavailable; // guarded by LOCK: why demotion is impossible, once known

    private IdlePriority() {}

    /** Back to the start: mode from the property, no warning given (tests). */
    static void reset() {
        mode = null;
        warnings = System.err;
        synchronized (LOCK) {
            unavailable = null;
        }
    }

    /**
     * Sets the mode of this JVM (a run or selfbench does so at its start) and where the one warning
     * goes when demotion is impossible.
     */
    public static void use(Mode m, PrintStream err) {
        mode = m;
        warnings = err;
    }

    /** The mode in force: the last {@link #use}d, else {@link Mode#fromProperty()}. */
    public static Mode mode() {
        Mode m = mode;
        return m == null ? Mode.fromProperty() : m;
    }

    /**
     * What was done, as results record it: {@code idle} (threads are demoted), {@code normal}
     * (opted out) or {@code unavailable} (demotion impossible here: see the warning).
     */
    public static String recorded() {
        if (mode() == Mode.NORMAL) {
            return Mode.NORMAL.label();
        }
        synchronized (LOCK) {
            return unavailable == null ? Mode.IDLE.label() : "unavailable";
        }
    }

    /**
     * Demotes every JIT compiler thread of this JVM not yet idle, in {@link Mode#IDLE}: cheap once
     * done (a directory listing and two small reads per thread), so it is called before every
     * trial.
     *
     * @return {@link #recorded()} after the attempt
     */
    public static String demoteCompilerThreads() {
        return demoteThreads(IdlePriority::isCompiler);
    }

    /**
     * Demotes every thread of this JVM whose {@code comm} (its name, cut to 15 characters) {@code
     * named} accepts and that is not idle yet, in {@link Mode#IDLE}.
     *
     * @return {@link #recorded()} after the attempt
     */
    static String demoteThreads(java.util.function.Predicate<String> named) {
        if (mode() == Mode.IDLE && Files.isDirectory(TASKS)) {
            List<String> tids = new ArrayList<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
                for (Path task : tasks) {
                    if (named.test(comm(task)) && policy(task) != SCHED_IDLE) {
                        tids.add(task.getFileName().toString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                unavailable("cannot list " + TASKS + ": " + e.getMessage());
            }
            for (String tid : tids) {
                if (!demote(tid)) {
                    break; // said why once; the next thread would fail the same way
                }
            }
        } else if (mode() == Mode.IDLE) {
            unavailable("not Linux (no " + TASKS + ")");
        }
        return recorded();
    }

    /**
     * Demotes the calling thread, in {@link Mode#IDLE}: for a housekeeping thread, as the first
     * thing it does. Costs a {@code chrt} process (about a millisecond), once per thread.
     *
     * @return whether the thread is idle now
     */
    public static boolean demoteCurrentThread() {
        if (mode() != Mode.IDLE) {
            return false;
        }
        String tid;
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString(); // "PID/task/TID"
            tid = link.substring(link.lastIndexOf('/') + 1);
        } catch (IOException | RuntimeException e) {
            unavailable("not Linux (no " + THREAD_SELF + ")");
            return false;
        }
        return policy(TASKS.resolve(tid)) == SCHED_IDLE || demote(tid);
    }

    /**
     * Daemon threads named {@code name} for housekeeping (a single-thread executor's): each demotes
     * itself ({@link #demoteCurrentThread()}) before its task.
     */
    public static ThreadFactory housekeeping(String name) {
        return r -> {
            Thread t = new Thread(
                    () -> {
                        demoteCurrentThread();
                        r.run();
                    },
                    name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The scheduling policy of a thread ({@code /proc/self/task/TID}), or -1 when unreadable. */
    static int policy(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            // Fields after the command name (which may hold spaces) start at field 3 (state).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[41 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1; // the thread ended meanwhile
        }
    }

    /** Whether {@code comm} names one of HotSpot's JIT compiler threads. */
    static boolean isCompiler(String comm) {
        for (String prefix : COMPILER_THREADS) {
            if (comm.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A thread's {@code comm} ({@code /proc/self/task/TID/comm}), or "" when it ended meanwhile. */
    static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs {@code chrt -i -p 0 TID}; says why once if it cannot. */
    private static boolean demote(String tid) {
        synchronized (LOCK) {
            if (unavailable != null) {
                return false;
            }
        }
        Process p;
        try {
            p = new ProcessBuilder("chrt", "-i", "-p", "0", tid)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            unavailable("no chrt (util-linux) to run: " + e.getMessage());
            return false;
        }
        try (InputStream in = p.getInputStream()) {
            String said = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                unavailable("chrt did not finish within 10 s");
                return false;
            }
            if (p.exitValue() != 0) {
                if (!Files.exists(TASKS.resolve(tid))) {
                    return true; // the thread ended meanwhile: nothing left to demote
                }
                unavailable("chrt -i -p 0 " + tid + " exited with " + p.exitValue()
                        + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse("")));
                return false;
            }
            return true;
        } catch (IOException e) {
            unavailable("chrt failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void unavailable(String why) {
        synchronized (LOCK) {
            if (unavailable != null) {
                return;
            }
            unavailable = why;
        }
        warnings.println("llmh: WARNING compiler and housekeeping threads keep normal priority (" + why
                + "): they may delay sends and reads on a busy core; --jit-priority normal silences this");
    }
}
