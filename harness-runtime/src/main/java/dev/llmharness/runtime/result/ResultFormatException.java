package dev.llmharness.runtime.result;

/** A result file that cannot be read: corrupt JSON, another schema, or a histogram that does not decode. */
public final class ResultFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResultFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public ResultFormatException(String message) {
        super(message);
    }
}
