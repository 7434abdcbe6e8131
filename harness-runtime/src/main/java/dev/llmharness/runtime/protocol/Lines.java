package dev.llmharness.runtime.protocol;

import java.io.IOException;
import java.util.Arrays;
import okio.BufferedSource;

/**
 * Reads a byte stream line by line into one reused buffer: lines end with LF or CRLF; the last
 * line of a body may lack its LF. Not thread-safe: one per stream.
 */
final class Lines {
    private final BufferedSource source;
    /** The current line's bytes, {@code [0, length)} after {@link #next()}. */
    byte[] line = new byte[512];

    Lines(BufferedSource source) {
        this.source = source;
    }

    /**
     * Reads one line into {@link #line} without its terminator; its length, or -1 at the end.
     * Lines ended by a lone CR parse correctly but are only seen at the next LF.
     */
    int next() throws IOException {
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
            throw new IOException("line longer than 2 GiB");
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
