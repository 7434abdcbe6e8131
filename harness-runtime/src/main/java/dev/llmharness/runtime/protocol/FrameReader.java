package dev.llmharness.runtime.protocol;

import java.io.IOException;

/**
 * Splits a streamed body into events (SSE {@code data:} payloads, NDJSON lines) and hands each to
 * a handler as a byte range, without making a string. Not thread-safe: one per stream.
 */
public interface FrameReader {
    /** Receives each event; returns false to stop reading (the stream's terminator). */
    interface Handler {
        boolean onEvent(byte[] data, int offset, int length) throws IOException;
    }

    /**
     * Reads until the handler returns false (true is returned) or the body ends (false is
     * returned; a last event without its delimiter is delivered first).
     */
    boolean read(Handler handler) throws IOException;
}
