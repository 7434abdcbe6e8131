package dev.llmharness.runtime.client;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one response head at a time, line by line: the status line, then header lines up to the
 * empty line. Of the headers it interprets only the four the exchange needs ({@code
 * Content-Length}, {@code Transfer-Encoding}, {@code Connection}, {@code Content-Type}, names in
 * any case); the others are kept as bytes for {@link #header(String)}. Tolerant where servers
 * differ harmlessly (LF line ends, HTTP/1.0, several blanks in the status line, no reason phrase,
 * empty lines before the status line, empty header values, a header line without a colon);
 * strict where a guess could misframe the body (the status code, {@code Content-Length}). Not
 * thread-safe: one per connection, used on the loop thread.
 */
final class Http1HeadReader {
    /**
     * Bytes a head may take, its line ends included: beyond it the answer fails. Netty's codec
     * allowed 4 KB for the status line and 8 KB of headers; real servers send a few hundred bytes.
     */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    /** Whether a head is being read: its first line has come, its empty line not yet. */
    private boolean reading;

    private boolean statusRead;
    private int headBytes;
    private int minorVersion;
    private int status;
    private String reason;
    private String contentType;
    /** The {@code Content-Length} in bytes, -1 without one. */
    private long contentLength;

    private boolean transferEncoding;
    private boolean chunked;
    private boolean close;

    /** The header lines of the head being read or last read, each as {@code name:value\n}. */
    private byte[] fields = new byte[512];

    private int fieldsLength;
    /** A server sends the same reason and type every time: one String each, not one per answer. */
    private final Remembered reasons = new Remembered();

    private final Remembered types = new Remembered();

    /**
     * One line of the head, without its line end.
     *
     * @param a holds the line
     * @param from index of its first byte
     * @param to index after its last byte (a CR before the LF already removed)
     * @param ending bytes its line end took: 2 for CRLF, 1 for a bare LF
     * @return the head when this line was the empty one that ends it, else {@code null}
     * @throws ProtocolException for a status line that is not HTTP/1.x with a 3-digit code, an
     *     invalid or conflicting {@code Content-Length}, or a head over {@link #MAX_HEAD_BYTES}
     */
    ResponseHead line(byte[] a, int from, int to, int ending) throws ProtocolException {
        if (!reading) {
            begin();
        }
        headBytes += to - from + ending;
        if (headBytes > MAX_HEAD_BYTES) {
            throw new ProtocolException("the response head is longer than " + MAX_HEAD_BYTES + " bytes");
        }
        if (!statusRead) {
            // Empty lines before the status line are skipped (RFC 9112 §2.2): some servers end an
            // earlier body with an extra CRLF.
            if (to > from) {
                statusLine(a, from, to);
                statusRead = true;
            }
            return null;
        }
        if (to == from) {
            reading = false;
            return head();
        }
        field(a, from, to);
        return null;
    }

    /**
     * The first value of the header {@code name} (any case) in the head being read or last read,
     * blanks around it removed; {@code null} without one. Valid until the next head starts.
     */
    String header(String name) {
        int p = 0;
        while (p < fieldsLength) {
            int colon = indexOf(fields, p, fieldsLength, ':');
            int end = indexOf(fields, colon, fieldsLength, '\n');
            if (colon - p == name.length() && named(fields, p, name)) {
                return new String(fields, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1);
            }
            p = end + 1;
        }
        return null;
    }

    private void begin() {
        reading = true;
        statusRead = false;
        headBytes = 0;
        minorVersion = 1;
        status = 0;
        reason = null;
        contentType = null;
        contentLength = -1;
        transferEncoding = false;
        chunked = false;
        close = false;
        fieldsLength = 0;
    }

    /** {@code HTTP/1.1 200 OK}; also {@code HTTP/1.0}, several blanks, and no reason phrase. */
    private void statusLine(byte[] a, int from, int to) throws ProtocolException {
        if (to - from < 12 || !startsWith(a, from, "HTTP/1.") || !digit(a[from + 7]) || !blank(a[from + 8])) {
            throw badStatus(a, from, to);
        }
        minorVersion = a[from + 7] - '0';
        int p = skipBlanks(a, from + 8, to);
        if (to - p < 3 || !digit(a[p]) || !digit(a[p + 1]) || !digit(a[p + 2]) || (p + 3 < to && !blank(a[p + 3]))) {
            throw badStatus(a, from, to);
        }
        status = (a[p] - '0') * 100 + (a[p + 1] - '0') * 10 + (a[p + 2] - '0');
        if (status < 100) {
            throw badStatus(a, from, to);
        }
        int r = skipBlanks(a, p + 3, to);
        reason = reasons.of(a, r, trimEnd(a, r, to));
    }

    private static ProtocolException badStatus(byte[] a, int from, int to) {
        // OkHttp's wording, so that both transports name a bad status line alike.
        return new ProtocolException("Unexpected status line: " + printable(a, from, to));
    }

    private void field(byte[] a, int from, int to) throws ProtocolException {
        if (blank(a[from])) {
            return; // a folded continuation line (obsolete, RFC 9112 §5.2): of no header read here
        }
        int colon = indexOf(a, from, to, ':');
        if (colon <= from) {
            return; // not a header field: nothing the exchange reads can be in it, so it is ignored
        }
        int nameTo = trimEnd(a, from, colon);
        int v = skipBlanks(a, colon + 1, to);
        int vTo = trimEnd(a, v, to);
        keep(a, from, nameTo, v, vTo);
        int n = nameTo - from;
        if (n == 14 && named(a, from, "content-length")) {
            contentLength(a, v, vTo);
        } else if (n == 17 && named(a, from, "transfer-encoding")) {
            transferEncoding(a, v, vTo);
        } else if (n == 10 && named(a, from, "connection")) {
            close |= hasToken(a, v, vTo, "close");
        } else if (n == 12 && named(a, from, "content-type") && contentType == null) {
            contentType = types.of(a, v, vTo);
        }
    }

    /**
     * A length, or a list of equal ones ({@code 5, 5}: a proxy's fold of a repeated header); a
     * second header must agree. Anything else fails: a wrong guess would misframe every later answer.
     */
    private void contentLength(byte[] a, int from, int to) throws ProtocolException {
        int p = from;
        while (true) {
            int comma = indexOf(a, p, to, ',');
            int end = comma < 0 ? to : comma;
            long value = decimal(a, skipBlanks(a, p, end), trimEnd(a, p, end));
            if (value < 0) {
                throw new ProtocolException("invalid Content-Length: " + printable(a, from, to));
            }
            if (contentLength >= 0 && contentLength != value) {
                throw new ProtocolException("conflicting Content-Length values: " + contentLength + " and " + value);
            }
            contentLength = value;
            if (comma < 0) {
                return;
            }
            p = comma + 1;
        }
    }

    /** The codings in order: the body is chunked when the last is {@code chunked}; {@code identity} is none. */
    private void transferEncoding(byte[] a, int from, int to) {
        int p = from;
        while (p <= to) {
            int comma = indexOf(a, p, to, ',');
            int end = comma < 0 ? to : comma;
            int s = skipBlanks(a, p, end);
            int e = trimEnd(a, s, end);
            if (e > s && !equalsIgnoreCase(a, s, e, "identity")) {
                transferEncoding = true;
                chunked = equalsIgnoreCase(a, s, e, "chunked");
            }
            p = end + 1;
        }
    }

    private ResponseHead head() {
        ResponseHead.Framing framing;
        if (status < 200 || status == 204 || status == 304) {
            framing = ResponseHead.Framing.NONE;
        } else if (transferEncoding) {
            framing = chunked ? ResponseHead.Framing.CHUNKED : ResponseHead.Framing.CLOSE;
        } else if (contentLength >= 0) {
            framing = ResponseHead.Framing.LENGTH;
        } else {
            framing = ResponseHead.Framing.CLOSE;
        }
        // Both Transfer-Encoding and Content-Length: read by the former (RFC 9112 §6.3), but a
        // message a proxy may have framed otherwise leaves nothing on the connection to trust.
        boolean reusable = minorVersion >= 1
                && !close
                && status != 101
                && framing != ResponseHead.Framing.CLOSE
                && !(transferEncoding && contentLength >= 0);
        return new ResponseHead(
                status,
                reason,
                contentType,
                framing,
                framing == ResponseHead.Framing.LENGTH ? contentLength : -1,
                reusable);
    }

    private void keep(byte[] a, int name, int nameTo, int value, int valueTo) {
        int n = (nameTo - name) + 1 + (valueTo - value) + 1;
        if (fieldsLength + n > fields.length) {
            fields = Arrays.copyOf(fields, Math.max(fields.length * 2, fieldsLength + n));
        }
        System.arraycopy(a, name, fields, fieldsLength, nameTo - name);
        fieldsLength += nameTo - name;
        fields[fieldsLength++] = ':';
        System.arraycopy(a, value, fields, fieldsLength, valueTo - value);
        fieldsLength += valueTo - value;
        fields[fieldsLength++] = '\n';
    }

    /** A string of bytes seen last time, kept: its String is made again only when they change. */
    private static final class Remembered {
        private byte[] bytes = new byte[0];
        private String text;

        String of(byte[] a, int from, int to) {
            if (text == null || !Arrays.equals(bytes, 0, bytes.length, a, from, to)) {
                bytes = Arrays.copyOfRange(a, from, to);
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            return text;
        }
    }

    /** A non-negative decimal of at most 18 digits, else -1. */
    static long decimal(byte[] a, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (!digit(a[i])) {
                return -1;
            }
            v = v * 10 + (a[i] - '0');
        }
        return v;
    }

    private static boolean hasToken(byte[] a, int from, int to, String token) {
        int p = from;
        while (p <= to) {
            int comma = indexOf(a, p, to, ',');
            int end = comma < 0 ? to : comma;
            int s = skipBlanks(a, p, end);
            if (equalsIgnoreCase(a, s, trimEnd(a, s, end), token)) {
                return true;
            }
            p = end + 1;
        }
        return false;
    }

    /** Whether {@code a[from, from + name.length())} is {@code name}, ignoring ASCII case. */
    static boolean named(byte[] a, int from, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (lower(a[from + i]) != lower((byte) name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] a, int from, int to, String s) {
        return to - from == s.length() && named(a, from, s);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static boolean startsWith(byte[] a, int from, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (a[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code b} in {@code a[from, to)}, or -1. */
    static int indexOf(byte[] a, int from, int to, char b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static boolean blank(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    static int skipBlanks(byte[] a, int from, int to) {
        while (from < to && blank(a[from])) {
            from++;
        }
        return from;
    }

    static int trimEnd(byte[] a, int from, int to) {
        while (to > from && blank(a[to - 1])) {
            to--;
        }
        return to;
    }

    /**
     * The bytes as text for a failure's message: Latin-1, control bytes as {@code ?}, at most 100
     * characters (a failure detail is one line of a report).
     */
    static String printable(byte[] a, int from, int to) {
        int end = Math.min(to, from + 100);
        StringBuilder s = new StringBuilder(end - from + 3);
        for (int i = from; i < end; i++) {
            int c = a[i] & 0xFF;
            s.append(c < 0x20 || c == 0x7F ? '?' : (char) c);
        }
        return end < to ? s.append("...").toString() : s.toString();
    }
}
