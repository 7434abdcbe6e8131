package dev.llmharness.runtime.client;

import java.net.ProtocolException;
import java.util.Arrays;

/**
 * Decodes the HTTP/1.1 responses of one keep-alive client connection, written for the event loop's
 * one job: bytes go in as each socket read returns them, cut anywhere; the head goes to a {@link
 * ResponseSink} as one {@link ResponseHead}, and the body as runs of bytes of the read's own
 * buffer, the chunked framing removed (body bytes are never copied here, and no object is made per
 * chunk). Bodies are framed by chunked encoding (extensions and trailers read and ignored), by
 * {@code Content-Length}, or by the connection's close.
 *
 * <p>It replaced Netty's {@code HttpClientCodec}, which made an {@code HttpContent} message per
 * chunk (one per token event from vLLM-like servers), each a slice, a reference count and a trip
 * through the pipeline: about 15 % of the loop thread's CPU at ITL 0 (docs/performance.md).
 *
 * <p>Framing errors (a bad status line, chunk size or chunk end, an invalid {@code
 * Content-Length}, a head or line over {@link Http1HeadReader#MAX_HEAD_BYTES}) throw a {@link
 * ProtocolException}; the connection cannot be read further and must be closed. Not thread-safe:
 * one per connection, used on the loop thread.
 */
final class Http1ResponseDecoder {
    private enum State {
        /** The status line and headers. */
        HEAD,
        /** A {@code Content-Length} body: {@link #remaining} bytes left. */
        LENGTH,
        /** A chunk-size line (hex size, optional extensions). */
        CHUNK_SIZE,
        /** A chunk's data: {@link #remaining} bytes left. */
        CHUNK_DATA,
        /** The CRLF after a chunk's data. */
        CHUNK_END,
        /** Trailer lines after the zero-size chunk, up to an empty line. */
        TRAILERS,
        /** A body that ends with the connection. */
        UNTIL_CLOSE,
        /** A framing error was thrown: nothing more can be read. */
        FAILED
    }

    /** Hex digits a chunk size may have: 15 keep it under 2^60 bytes, far beyond any answer. */
    static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private final Http1HeadReader head = new Http1HeadReader();
    private State state = State.HEAD;
    /** Body or chunk bytes left, for {@link State#LENGTH} and {@link State#CHUNK_DATA}. */
    private long remaining;
    /** Whether the CR of the CRLF after a chunk's data has been read. */
    private boolean chunkCr;
    /** Bytes of trailers read so far, limited as a head is. */
    private int trailerBytes;

    /** A line cut between two reads, kept until its end comes. */
    private byte[] partial = new byte[256];

    private int partialLength;

    // The line nextLine() found: in the read's buffer when it was whole there, else in partial.
    private byte[] line;
    private int lineFrom;
    private int lineTo;
    /** Bytes of that line's end: 2 for CRLF, 1 for a bare LF. */
    private int lineEnding;

    /**
     * Decodes {@code length} bytes of one socket read, calling {@code sink} as the response's parts
     * complete. Returns early, right after a response's end, so that the caller can decide what
     * the rest of the bytes belong to (on a client connection: nothing, as one request is in flight).
     *
     * @param bytes the read's bytes
     * @param offset index of the first byte
     * @param length number of bytes, 0 or more
     * @return bytes consumed: {@code length}, or fewer when a response ended before them
     * @throws ProtocolException on a framing error; the connection must then be closed
     */
    int decode(byte[] bytes, int offset, int length, ResponseSink sink) throws ProtocolException {
        try {
            return decode0(bytes, offset, length, sink);
        } catch (ProtocolException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private int decode0(byte[] a, int offset, int length, ResponseSink sink) throws ProtocolException {
        int p = offset;
        int end = offset + length;
        while (p < end) {
            switch (state) {
                case HEAD -> {
                    p = nextLine(a, p, end);
                    if (p < 0) {
                        return length;
                    }
                    ResponseHead h = head.line(line, lineFrom, lineTo, lineEnding);
                    if (h != null && !h.interim() && startBody(h, sink)) {
                        return p - offset;
                    }
                }
                case LENGTH -> {
                    int n = (int) Math.min(remaining, end - p);
                    sink.onBody(a, p, n);
                    p += n;
                    remaining -= n;
                    if (remaining == 0) {
                        end(sink);
                        return p - offset;
                    }
                }
                case CHUNK_SIZE -> {
                    p = nextLine(a, p, end);
                    if (p < 0) {
                        return length;
                    }
                    remaining = chunkSize(line, lineFrom, lineTo);
                    if (remaining == 0) {
                        trailerBytes = 0;
                        state = State.TRAILERS;
                    } else {
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - p);
                    sink.onBody(a, p, n);
                    p += n;
                    remaining -= n;
                    if (remaining == 0) {
                        chunkCr = false;
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    // CRLF, or a bare LF as lenient servers write; anything else means the chunk
                    // size was wrong, and every byte after it would be misread.
                    byte b = a[p++];
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    } else if (b == '\r' && !chunkCr) {
                        chunkCr = true;
                    } else {
                        throw new ProtocolException("a chunk's data is not followed by CRLF (got "
                                + Http1HeadReader.printable(a, p - 1, p) + "): its size was wrong");
                    }
                }
                case TRAILERS -> {
                    int start = p;
                    p = nextLine(a, p, end);
                    if (p < 0) {
                        return length;
                    }
                    trailerBytes += p - start;
                    if (trailerBytes > Http1HeadReader.MAX_HEAD_BYTES) {
                        throw new ProtocolException(
                                "the trailers are longer than " + Http1HeadReader.MAX_HEAD_BYTES + " bytes");
                    }
                    if (lineTo == lineFrom) {
                        end(sink);
                        return p - offset;
                    }
                    // A trailer field: none is of use to the harness.
                }
                case UNTIL_CLOSE -> {
                    sink.onBody(a, p, end - p);
                    return length;
                }
                case FAILED -> throw new ProtocolException("the connection's earlier bytes could not be decoded");
            }
        }
        return length;
    }

    /** Hands the head on and sets up its body; whether the response has ended already (no body). */
    private boolean startBody(ResponseHead h, ResponseSink sink) {
        sink.onHead(h);
        switch (h.framing()) {
            case NONE -> {
                end(sink);
                return true;
            }
            case LENGTH -> {
                if (h.contentLength() == 0) {
                    end(sink);
                    return true;
                }
                remaining = h.contentLength();
                state = State.LENGTH;
            }
            case CHUNKED -> state = State.CHUNK_SIZE;
            case CLOSE -> state = State.UNTIL_CLOSE;
        }
        return false;
    }

    private void end(ResponseSink sink) {
        state = State.HEAD;
        sink.onEnd();
    }

    /**
     * The connection has closed: ends a body that runs until the close ({@code sink} is told, and
     * true is returned). Else the close cut a response short, or came between responses: false.
     */
    boolean closed(ResponseSink sink) {
        if (state == State.UNTIL_CLOSE) {
            end(sink);
            return true;
        }
        state = State.FAILED;
        return false;
    }

    /**
     * The first value of the header {@code name} (any case) of the response being read or read
     * last, or {@code null}: valid until the next response's head starts.
     */
    String header(String name) {
        return head.header(name);
    }

    /**
     * Finds the line starting at {@code p}: returns the index after its LF and sets {@link #line},
     * {@link #lineFrom} and {@link #lineTo} (a CR before the LF removed); or, without an LF before
     * {@code end}, keeps the bytes for the next read and returns -1.
     */
    private int nextLine(byte[] a, int p, int end) throws ProtocolException {
        int lf = Http1HeadReader.indexOf(a, p, end, '\n');
        if (lf < 0) {
            keep(a, p, end - p);
            return -1;
        }
        if (partialLength == 0) {
            line = a;
            lineFrom = p;
            lineTo = lf;
        } else {
            keep(a, p, lf - p);
            line = partial;
            lineFrom = 0;
            lineTo = partialLength;
            partialLength = 0; // the bytes stay in partial until the next keep(), after this line's use
        }
        lineEnding = 1;
        if (lineTo > lineFrom && line[lineTo - 1] == '\r') {
            lineTo--;
            lineEnding = 2;
        }
        return lf + 1;
    }

    private void keep(byte[] a, int from, int n) throws ProtocolException {
        if (partialLength + n > Http1HeadReader.MAX_HEAD_BYTES) {
            throw new ProtocolException("a line of the response is longer than " + Http1HeadReader.MAX_HEAD_BYTES
                    + " bytes: " + Http1HeadReader.printable(partial, 0, partialLength));
        }
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
        }
        System.arraycopy(a, from, partial, partialLength, n);
        partialLength += n;
    }

    /**
     * A chunk-size line's size: hex digits, then optional blanks and {@code ;extensions} (ignored).
     *
     * @return the size in bytes, 0 for the last chunk
     * @throws ProtocolException for no digits, another character, or more than {@value
     *     #MAX_CHUNK_SIZE_DIGITS} digits (a size no server sends, and one that would overflow)
     */
    static long chunkSize(byte[] a, int from, int to) throws ProtocolException {
        int p = Http1HeadReader.skipBlanks(a, from, to);
        int digits = p;
        long size = 0;
        while (p < to) {
            int d = Character.digit(a[p], 16);
            if (d < 0) {
                break;
            }
            size = (size << 4) | d;
            p++;
        }
        int n = p - digits;
        p = Http1HeadReader.skipBlanks(a, p, to);
        if (n == 0 || n > MAX_CHUNK_SIZE_DIGITS || (p < to && a[p] != ';')) {
            // OkHttp's wording, so that both transports name a bad chunk size alike.
            throw new ProtocolException("expected chunk size and optional extensions but was \""
                    + Http1HeadReader.printable(a, from, to) + "\"");
        }
        return size;
    }
}
