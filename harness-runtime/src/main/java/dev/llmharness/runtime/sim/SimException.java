package dev.llmharness.runtime.sim;

/** The simulator could not start or run; the message says why and what to change. */
public final class SimException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit code of a JVM stopped by SIGINT (128 + 2). */
    public static final int SIGINT_EXIT = 130;

    /** The exit code of a JVM stopped by SIGTERM (128 + 15). */
    public static final int SIGTERM_EXIT = 143;

    /** The child's exit code when it had exited, else -1. */
    private final int childExit;

    public SimException(String message, Throwable cause) {
        super(message, cause);
        this.childExit = -1;
    }

    public SimException(String message) {
        this(message, -1);
    }

    /**
     * @param childExit the simulator process's exit code when it had exited, else -1
     */
    public SimException(String message, int childExit) {
        super(message);
        this.childExit = childExit;
    }

    /**
     * Whether the simulator process had exited as a JVM does on SIGINT or SIGTERM: Ctrl-C in a
     * terminal signals the whole process group, so the harness is about to be interrupted too and
     * the failure is the interruption's, not the simulator's.
     */
    public boolean stoppedBySignal() {
        return childExit == SIGINT_EXIT || childExit == SIGTERM_EXIT;
    }

    /** The simulator process's exit code when it had exited, else -1. */
    public int childExit() {
        return childExit;
    }
}
