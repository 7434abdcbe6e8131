package dev.llmharness.runtime.protocol;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits pushed bytes into lines: lines end with LF or CRLF; the last line of a body may lack its
 * LF ({@link #finish}). A complete line inside one feed is handed over as a range of the fed array
 * (no copy); a line cut between feeds is kept in one reused buffer until its LF comes. Lines ended
 * by a lone CR parse correctly but are only seen at the next LF. Not thread-safe: one per stream.
 */
final class Lines {
    /** Receives each line without its terminator; returns false to stop. */
    interface LineHandler {
        boolean onLine(byte[] line, int offset, int length) throws IOException;
    }

    /** The start of a line whose LF has not come yet: {@code [0, pendingLength)}. */
    private byte[] pending = new byte[512];

    private int pendingLength;

    /**
     * Hands every line these bytes complete to {@code handler}; keeps the rest.
     *
     * @return false once the handler returned false (the remaining bytes are dropped)
     */
    boolean feed(byte[] bytes, int offset, int length, LineHandler handler) throws IOException {
        int end = offset + length;
        int start = offset;
        for (int i = indexOfLf(bytes, offset, end); i >= 0; i = indexOfLf(bytes, start, end)) {
            boolean more;
            if (pendingLength > 0) {
                keep(bytes, start, i - start);
                int n = pendingLength;
                pendingLength = 0;
                more = deliver(pending, 0, n, handler);
            } else {
                more = deliver(bytes, start, i - start, handler);
            }
            start = i + 1;
            if (!more) {
                return false;
            }
        }
        keep(bytes, start, end - start);
        return true;
    }

    /**
     * The bytes have ended: hands over a last line without its LF, if any.
     *
     * @return false when the handler returned false on it
     */
    boolean finish(LineHandler handler) throws IOException {
        if (pendingLength == 0) {
            return true;
        }
        int n = pendingLength;
        pendingLength = 0;
        return deliver(pending, 0, n, handler);
    }

    /** Eight bytes of an array as one little-endian {@code long}: the first byte is the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first LF in {@code [from, end)}, or -1. Eight bytes at a time (SWAR): a
     * 128-token answer is about 25 KB, and a byte-by-byte search (which the JIT does not
     * vectorise, as it exits early) was the largest item of the framing in the loop's profile.
     */
    static int indexOfLf(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ LFS; // an LF byte becomes 0
            // The lowest zero byte sets its high bit here; bytes above it may be set falsely by
            // the borrow, never bytes below, so the lowest set bit is the first LF.
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void keep(byte[] bytes, int from, int n) {
        if (n == 0) {
            return;
        }
        int needed = pendingLength + n;
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
        System.arraycopy(bytes, from, pending, pendingLength, n);
        pendingLength = needed;
    }

    private static boolean deliver(byte[] line, int offset, int length, LineHandler handler) throws IOException {
        if (length > 0 && line[offset + length - 1] == '\r') {
            length--;
        }
        return handler.onLine(line, offset, length);
    }
}
