package dev.llmharness.runtime.protocol;

import java.io.IOException;
import java.util.Arrays;
import okio.BufferedSource;

/**
 * Reads Server-Sent Events and hands each event's {@code data} to a handler as a byte range: lines
 * end with LF or CRLF; {@code data:} lines of one event are joined with LF; comments ({@code :})
 * and other fields ({@code event:}, {@code id:}, {@code retry:}) are ignored; a blank line ends an
 * event. Not thread-safe: one per stream.
 */
public final class SseReader implements FrameReader {
    private final Lines lines;
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;

    public SseReader(BufferedSource source) {
        this.lines = new Lines(source);
    }

    @Override
    public boolean read(Handler handler) throws IOException {
        while (true) {
            int length = lines.next();
            if (length < 0) {
                if (hasData) {
                    hasData = false;
                    return !handler.onEvent(data, 0, dataLength);
                }
                return false;
            }
            if (length == 0) {
                if (hasData) {
                    hasData = false;
                    int n = dataLength;
                    dataLength = 0;
                    if (!handler.onEvent(data, 0, n)) {
                        return true;
                    }
                }
                continue;
            }
            byte[] line = lines.line;
            if (length >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
                int start = length > 5 && line[5] == ' ' ? 6 : 5;
                appendData(line, start, length - start);
            }
        }
    }

    private void appendData(byte[] line, int from, int n) {
        int needed = dataLength + (hasData ? 1 : 0) + n;
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
        }
        if (hasData) {
            data[dataLength++] = '\n';
        }
        System.arraycopy(line, from, data, dataLength, n);
        dataLength += n;
        hasData = true;
    }
}
