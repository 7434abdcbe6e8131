package dev.llmharness.runtime.sim;

/** The simulator could not start or run; the message says why and what to change. */
public final class SimException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimException(String message, Throwable cause) {
        super(message, cause);
    }

    public SimException(String message) {
        super(message);
    }
}
