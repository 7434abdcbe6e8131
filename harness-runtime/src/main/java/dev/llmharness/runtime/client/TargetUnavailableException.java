package dev.llmharness.runtime.client;

/**
 * The server under test cannot be used at all (down, unauthorised, not OpenAI-compatible): one
 * clear message naming the problem and the fix, raised before any load is sent.
 */
public final class TargetUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public TargetUnavailableException(String message) {
        super(message);
    }

    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
