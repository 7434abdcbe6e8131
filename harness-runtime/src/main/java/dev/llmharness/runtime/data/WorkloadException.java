package dev.llmharness.runtime.data;

/**
 * A workload that cannot produce prompts: a missing or malformed dataset file, an unknown
 * encoding, a filter that leaves nothing, a length the generator cannot make. Raised by {@link
 * PromptSources#forWorkload} before any load is sent; the message names the file, the record or
 * line, the field, and the fix.
 */
public final class WorkloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
