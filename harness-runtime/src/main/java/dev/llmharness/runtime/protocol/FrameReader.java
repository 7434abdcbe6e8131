package dev.llmharness.runtime.protocol;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Splits a streamed body into events (SSE {@code data:} payloads, NDJSON lines) and hands each to
 * a handler as a byte range, without making a string. Bytes are pushed in as they arrive ({@link
 * #feed}), in pieces of any size: a line cut between two pieces is kept until its end comes. The
 * event-loop transport feeds each socket read; {@link #read(BufferedSource, Handler)} pulls from a
 * blocking source (OkHttp's body) and feeds the same parser. Not thread-safe: one per stream.
 */
public interface FrameReader {
    /** Bytes {@link #read(BufferedSource, Handler)} takes from the source per feed. */
    int PULL_CHUNK_BYTES = 4096;

    /** Receives each event; returns false to stop reading (the stream's terminator). */
    interface Handler {
        boolean onEvent(byte[] data, int offset, int length) throws IOException;
    }

    /**
     * Hands every event completed by these bytes to {@code handler}.
     *
     * @return false once the handler has returned false (the bytes after that event are dropped),
     *     else true
     */
    boolean feed(byte[] bytes, int offset, int length, Handler handler) throws IOException;

    /**
     * The body has ended: delivers a last event that lacked its delimiter.
     *
     * @return whether the handler returned false on it (the stream was terminated)
     */
    boolean finish(Handler handler) throws IOException;

    /**
     * Reads a blocking source until the handler returns false (true is returned) or the body ends
     * (false is returned; a last event without its delimiter is delivered first). Each feed is what
     * one read of the source returned, so an event is delivered as soon as its bytes are in. The
     * chunk the source is read into is reused by later reads ({@link PullChunks}): a handler must
     * not keep the array it is given past its call.
     */
    default boolean read(BufferedSource source, Handler handler) throws IOException {
        byte[] chunk = PullChunks.take();
        try {
            int n;
            while ((n = source.read(chunk, 0, chunk.length)) >= 0) {
                if (!feed(chunk, 0, n, handler)) {
                    return true;
                }
            }
        } finally {
            PullChunks.give(chunk);
        }
        return finish(handler);
    }
}
