package dev.llmharness.runtime.result;

/** Result files that cannot be merged: different trials, or histograms that do not add exactly. */
public final class MergeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MergeException(String message) {
        super(message);
    }

    public MergeException(String message, Throwable cause) {
        super(message, cause);
    }
}
