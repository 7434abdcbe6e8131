package dev.llmharness.runtime.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Narrows the calling thread's timer slack (Linux, {@code /proc/TID/timerslack_ns}): how late the
 * kernel may fire the thread's timers so that it can batch their wake-ups, 50 µs by default. A
 * {@code LockSupport.parkNanos} wakes up to that much late; with {@value #SLACK_NANOS} ns it wakes
 * within the kernel's own wake-up latency, so a request thread can park all the way to its
 * intended instant instead of spinning the last 50 µs (which, on one core, takes that core from
 * the threads reading responses). A thread may set its own slack without privileges. Elsewhere,
 * or when {@code /proc} refuses, nothing changes.
 */
public final class TimerSlack {
    /** The slack set, ns. */
    static final long SLACK_NANOS = 1_000L;

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private TimerSlack() {}

    /**
     * Sets the calling platform thread's timer slack to {@value #SLACK_NANOS} ns.
     *
     * @return whether it was set
     */
    public static boolean narrow() {
        try {
            // "/proc/thread-self" links to "PID/task/TID"; the slack lives in /proc/TID.
            String link = Files.readSymbolicLink(THREAD_SELF).toString();
            String tid = link.substring(link.lastIndexOf('/') + 1);
            Files.writeString(Path.of("/proc", tid, "timerslack_ns"), Long.toString(SLACK_NANOS));
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, no /proc, or not permitted: parks keep the default slack
        }
    }

    /** The calling thread's timer slack, ns, or -1 when unreadable. */
    static long current() {
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString();
            String tid = link.substring(link.lastIndexOf('/') + 1);
            return Long.parseLong(
                    Files.readString(Path.of("/proc", tid, "timerslack_ns")).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
