package dev.llmharness.runtime.protocol;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads Server-Sent Events and hands each event's {@code data} to a handler as a byte range: lines
 * end with LF or CRLF; {@code data:} lines of one event are joined with LF; comments ({@code :})
 * and other fields ({@code event:}, {@code id:}, {@code retry:}) are ignored; a blank line ends an
 * event. Bytes are pushed in ({@link FrameReader}); not thread-safe: one per stream.
 *
 * <p>An event of one {@code data:} line that ends within the bytes of one feed (a server's usual
 * event, and at the event loop one HTTP chunk) is handed over as a range of the fed array, not
 * copied: the event's buffer is written only when a second data line joins the first, or when the
 * feed ends before the event does (the fed array is the caller's to reuse then).
 */
public final class SseReader implements FrameReader, Lines.LineHandler {
    private final Lines lines = new Lines();
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;
    /** The handler of the feed in progress (a field, so that a feed allocates nothing). */
    private Handler handler;
    /** The array of the feed in progress, {@code null} between feeds. */
    private byte[] fed;
    /**
     * Where the event's one data line so far starts in {@link #fed} ({@link #dataLength} bytes),
     * or -1 when the event's data is in {@link #data}.
     */
    private int fedFrom = -1;

    @Override
    public boolean feed(byte[] bytes, int offset, int length, Handler handler) throws IOException {
        this.handler = handler;
        this.fed = bytes;
        try {
            return lines.feed(bytes, offset, length, this);
        } finally {
            if (fedFrom >= 0) {
                copyFed(); // the event goes on in a later feed, and the caller may reuse the array
            }
            fed = null;
        }
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
                int from = fedFrom;
                if (from >= 0) {
                    fedFrom = -1;
                    return handler.onEvent(fed, from, n);
                }
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
            if (!hasData && line == fed) {
                // The event's first data line, in the fed array: kept as a range until it ends.
                fedFrom = p + start;
                dataLength = length - start;
                hasData = true;
            } else {
                if (fedFrom >= 0) {
                    copyFed();
                }
                appendData(line, p + start, length - start);
            }
        }
        return true;
    }

    /** Copies the data line kept as a range of the fed array into the event's buffer. */
    private void copyFed() {
        if (dataLength > data.length) {
            data = new byte[Math.max(dataLength, data.length * 2)];
        }
        System.arraycopy(fed, fedFrom, data, 0, dataLength);
        fedFrom = -1;
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
