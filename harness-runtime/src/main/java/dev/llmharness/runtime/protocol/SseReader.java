package dev.llmharness.runtime.client;

import java.io.IOException;
import java.util.Arrays;
import okio.BufferedSource;

/**
 * Reads Server-Sent Events from a byte stream and hands each event's {@code data} to a handler
 * as a byte range, without making a string: lines end with LF or CRLF; {@code data:} lines of
 * one event are joined with LF; comments ({@code :}) and other fields ({@code event:}, {@code id:},
 * {@code retry:}) are ignored; a blank line ends an event. Not thread-safe: one per stream.
 */
final class SseReader {
    /** Receives each event's data; returns false to stop reading (the stream's terminator). */
    interface Handler {
        boolean onData(byte[] data, int offset, int length) throws IOException;
    }

    private final BufferedSource source;
    private byte[] line = new byte[512];
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;

    SseReader(BufferedSource source) {
        this.source = source;
    }

    /**
     * Reads until the handler returns false (true is returned) or the stream ends (false is
     * returned; an event not yet closed by a blank line is delivered first).
     */
    boolean read(Handler handler) throws IOException {
        while (true) {
            int length = readLine();
            if (length < 0) {
                if (hasData) {
                    hasData = false;
                    return !handler.onData(data, 0, dataLength);
                }
                return false;
            }
            if (length == 0) {
                if (hasData) {
                    hasData = false;
                    int n = dataLength;
                    dataLength = 0;
                    if (!handler.onData(data, 0, n)) {
                        return true;
                    }
                }
                continue;
            }
            if (startsWithData(length)) {
                int start = 5;
                if (length > 5 && line[5] == ' ') {
                    start = 6;
                }
                appendData(start, length - start);
            }
        }
    }

    private boolean startsWithData(int length) {
        return length >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':';
    }

    private void appendData(int from, int n) {
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

    /**
     * Reads one line into {@link #line} without its terminator (LF, or CRLF); its length, or -1 at
     * the end. Lines ended by a lone CR parse correctly but are only seen at the next LF.
     */
    private int readLine() throws IOException {
        long lf = source.indexOf((byte) '\n');
        long end;
        int skip;
        if (lf >= 0) {
            end = lf;
            skip = 1;
        } else {
            end = source.getBuffer().size();
            if (end == 0) {
                return -1;
            }
            skip = 0;
        }
        if (end > Integer.MAX_VALUE - 8) {
            throw new IOException("SSE line longer than 2 GiB");
        }
        int n = (int) end;
        if (n > line.length) {
            line = Arrays.copyOf(line, Math.max(n, line.length * 2));
        }
        int read = 0;
        while (read < n) {
            int r = source.read(line, read, n - read);
            if (r < 0) {
                throw new IOException("stream ended inside a line");
            }
            read += r;
        }
        source.skip(skip);
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return n;
    }
}
