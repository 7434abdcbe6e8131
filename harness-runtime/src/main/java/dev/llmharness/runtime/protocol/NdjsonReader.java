package dev.llmharness.runtime.protocol;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads newline-delimited JSON (Ollama's streaming format, {@code application/x-ndjson}): each
 * non-blank line is one event, handed to the handler as a byte range of a reused buffer. Not
 * thread-safe: one per stream.
 */
public final class NdjsonReader implements FrameReader {
    private final Lines lines;

    public NdjsonReader(BufferedSource source) {
        this.lines = new Lines(source);
    }

    @Override
    public boolean read(Handler handler) throws IOException {
        int length;
        while ((length = lines.next()) >= 0) {
            if (!isBlank(lines.line, length) && !handler.onEvent(lines.line, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] > ' ') {
                return false;
            }
        }
        return true;
    }
}
