package dev.llmharness.runtime.client;

/**
 * What opening connections ahead of a load ({@link ClientTransport#preopen}) did.
 *
 * @param wanted connections the load's peak asks for, {@code >= 0}
 * @param opened connections open after it less those open before (connections already open
 *     count towards {@code wanted} and are not opened again), {@code >= 0}
 * @param failed connects that failed, {@code >= 0}: not request failures, reported once as a warning
 * @param failure the first failure's message, {@code null} when none failed
 */
public record Preopened(int wanted, int opened, int failed, String failure) {
    /** Nothing was asked for: pre-opening is off, or the load's peak is unknown beforehand. */
    public static final Preopened NONE = new Preopened(0, 0, 0, null);

    public Preopened {
        if (wanted < 0 || opened < 0 || failed < 0) {
            throw new IllegalArgumentException("counts must be >= 0: " + wanted + ", " + opened + ", " + failed);
        }
    }
}
