package dev.llmharness.runtime.protocol;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads Server-Sent Events and hands each event's {@code data} to a handler as a byte range: lines
 * end with LF or CRLF; {@code data:} lines of one event are joined with LF; comments ({@code :})
 * and other fields ({@code event:}, {@code id:}, {@code retry:}) are ignored; a blank line ends an
 * event. Bytes are pushed in ({@link FrameReader}); not thread-safe: one per stream.
 */
public final class SseReader implements FrameReader, Lines.LineHandler {
    private final Lines lines = new Lines();
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;
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
        if (!lines.finish(this)) {
            return true;
        }
        if (hasData) {
            hasData = false;
            return !handler.onEvent(data, 0, dataLength);
        }
        return false;
    }

    @Override
    public boolean onLine(byte[] line, int offset, int length) throws IOException {
        if (length == 0) {
            if (hasData) {
                hasData = false;
                int n = dataLength;
                dataLength = 0;
                return handler.onEvent(data, 0, n);
            }
            return true;
        }
        int p = offset;
        if (length >= 5
                && line[p] == 'd'
                && line[p + 1] == 'a'
                && line[p + 2] == 't'
                && line[p + 3] == 'a'
                && line[p + 4] == ':') {
            int start = length > 5 && line[p + 5] == ' ' ? 6 : 5;
            appendData(line, p + start, length - start);
        }
        return true;
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
