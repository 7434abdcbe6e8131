package dev.llmharness.runtime.protocol;

import java.io.IOException;

/**
 * Reads newline-delimited JSON (Ollama's streaming format, {@code application/x-ndjson}): each
 * non-blank line is one event, handed to the handler as a byte range. Bytes are pushed in ({@link
 * FrameReader}); not thread-safe: one per stream.
 */
public final class NdjsonReader implements FrameReader, Lines.LineHandler {
    private final Lines lines = new Lines();
    /** The handler of the feed in progress (a field, so that a feed allocates nothing). */
    private Handler handler;

    @Override
    public boolean feed(byte[] bytes, int offset, int length, Handler handler) throws IOException {
        this.handler = handler;
        return lines.feed(bytes, offset, length, this);
    }

    @Override
    public boolean finish(Handler handler) throws IOException {
        this.handler = handler;
        return !lines.finish(this);
    }

    @Override
    public boolean onLine(byte[] line, int offset, int length) throws IOException {
        return isBlank(line, offset, length) || handler.onEvent(line, offset, length);
    }

    private static boolean isBlank(byte[] line, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (line[i] > ' ') {
                return false;
            }
        }
        return true;
    }
}
