package dev.llmharness.runtime.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A strict, allocation-free JSON scanner over one event's bytes, for the decoders' fast paths
 * ({@link JsonEventDecoder#fast}). It accepts a subset of what Jackson accepts, and says so by
 * returning {@code false} from any step that meets something outside it: then the decoder leaves
 * the event to Jackson, which gives the same answer as before, including its error messages. The
 * subset: RFC 8259 JSON with ASCII-only strings (any byte of 0x80 or above gives up, so that
 * Jackson alone judges UTF-8), field names without escapes, numbers of at most {@value
 * #MAX_NUMBER_CHARS} characters, nesting at most {@value #MAX_DEPTH} deep and events of at most
 * {@value #MAX_EVENT_BYTES} bytes (well inside Jackson's default read constraints, so that a limit
 * is never judged here). Not thread-safe: one per decoder.
 */
final class JsonScanner {
    /** Longest number read here: an {@code int} has at most 10 digits and a sign. */
    static final int MAX_NUMBER_CHARS = 18;

    /** Deepest nesting read here; deeper values go to Jackson (whose limit is 1,000). */
    static final int MAX_DEPTH = 64;

    /** Largest event read here. */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private byte[] b;
    private int pos;
    private int end;

    /** The last string's raw bytes {@code [strStart, strEnd)}, quotes excluded. */
    private int strStart;

    private int strEnd;
    /** Whether the last string held an escape (its raw bytes are not its text). */
    private boolean strEscaped;

    /** Whether the last number was an integer (no fraction, no exponent). */
    private boolean numInt;
    /** The last number's value when it was an integer of at most 9 digits, else unset. */
    private int numValue;
    /** Digits of the last integer, its sign excluded. */
    private int numDigits;

    /** Starts on {@code data[offset, offset + length)}; false when the event is too large. */
    boolean reset(byte[] data, int offset, int length) {
        b = data;
        pos = offset;
        end = offset + length;
        return length <= MAX_EVENT_BYTES;
    }

    /** Skips whitespace; the next byte, or -1 at the end. */
    int peek() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return c;
            }
        }
        return -1;
    }

    /** Skips whitespace and consumes {@code c}; false when the next byte is something else. */
    boolean expect(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Whether only whitespace is left. */
    boolean atEnd() {
        return peek() == -1;
    }

    /**
     * Reads a string at the current position (after whitespace): its raw bytes are {@link
     * #stringLength()} long. False at anything but a valid ASCII string.
     */
    boolean string() {
        if (peek() != '"') {
            return false;
        }
        int i = skipPlain(pos + 1);
        boolean escaped = false;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                strStart = pos + 1;
                strEnd = i;
                strEscaped = escaped;
                pos = i + 1;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                if (i + 1 >= end) {
                    return false;
                }
                byte e = b[i + 1];
                if (e == 'u') {
                    if (i + 5 >= end) {
                        return false;
                    }
                    for (int k = i + 2; k < i + 6; k++) {
                        if (hex(b[k]) < 0) {
                            return false;
                        }
                    }
                    i += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return false;
                }
                i += 2;
                continue;
            }
            if (c < 0x20) { // a control character, or (as a negative byte) a non-ASCII one
                return false;
            }
            i++;
        }
        return false;
    }

    /** Longest field name read here (Jackson's default limit is 50,000). */
    static final int MAX_NAME_BYTES = 1024;

    /** Reads a field name (a string of at most {@value #MAX_NAME_BYTES} bytes) and its colon. */
    boolean name() {
        return string() && strEnd - strStart <= MAX_NAME_BYTES && expect(':');
    }

    /** Eight bytes of an array as one little-endian {@code long}: the first byte is the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    /**
     * Skips, eight bytes at a time, the plain bytes of a string from {@code i}: none of them a
     * quote, a backslash, a control character or a non-ASCII byte. Returns the start of the first
     * word holding one of those (or of the last few bytes), which the byte loop then reads: most of
     * an event's bytes are plain string bytes (ids, object and model names, the text).
     */
    private int skipPlain(int i) {
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            long q = w ^ QUOTES;
            long bs = w ^ BACKSLASHES;
            // A byte's high bit is set where it is 0 in q (a quote) or in bs (a backslash), where
            // it is below 0x20, or where it is non-ASCII; false hits only lead to the byte loop.
            long special = ((q - ONES) & ~q) | ((bs - ONES) & ~bs) | (w - SPACES) | w;
            if ((special & HIGHS) != 0) {
                return i;
            }
        }
        return i;
    }

    /** The raw length of the last string: 0 exactly when its text is empty. */
    int stringLength() {
        return strEnd - strStart;
    }

    /** Index in the array of the last string's first raw byte (just after its opening quote). */
    int stringStart() {
        return strStart;
    }

    /** Index in the array of the last string's closing quote. */
    int stringEnd() {
        return strEnd;
    }

    /**
     * Whether {@code b[from, to)} could be the raw bytes of a string that {@link #string()} reads
     * with no escape: no quote, no backslash, no control character and no non-ASCII byte (the
     * bytes {@link #string()} either stops at or gives up on).
     */
    static boolean plain(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < 0x20 || c == '"' || c == '\\') { // a negative byte is a non-ASCII one
                return false;
            }
        }
        return true;
    }

    /** Whether the last string, read as a field name, is {@code name} (ASCII, no escapes). */
    boolean nameIs(byte[] name) {
        if (strEscaped || strEnd - strStart != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[strStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last string held an escape. */
    boolean escaped() {
        return strEscaped;
    }

    /** Appends the last string's text, escapes decoded, to {@code to}. */
    void appendString(StringBuilder to) {
        int i = strStart;
        if (!strEscaped) {
            to.ensureCapacity(to.length() + (strEnd - strStart));
            for (; i < strEnd; i++) {
                to.append((char) b[i]);
            }
            return;
        }
        while (i < strEnd) {
            byte c = b[i];
            if (c != '\\') {
                to.append((char) c);
                i++;
                continue;
            }
            byte e = b[i + 1];
            switch (e) {
                case 'u' -> {
                    to.append((char) (hex(b[i + 2]) << 12 | hex(b[i + 3]) << 8 | hex(b[i + 4]) << 4 | hex(b[i + 5])));
                    i += 6;
                    continue;
                }
                case 'b' -> to.append('\b');
                case 'f' -> to.append('\f');
                case 'n' -> to.append('\n');
                case 'r' -> to.append('\r');
                case 't' -> to.append('\t');
                default -> to.append((char) e); // " \ /
            }
            i += 2;
        }
    }

    /**
     * Reads a number at the current position: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?},
     * at most {@value #MAX_NUMBER_CHARS} characters.
     */
    boolean number() {
        if (peek() == -1) {
            return false;
        }
        int i = pos;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return false;
        }
        int digitsStart = i;
        long value = 0;
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i] - '0');
                i++;
                if (i - pos > MAX_NUMBER_CHARS) {
                    return false;
                }
            }
        } else {
            return false;
        }
        int digits = i - digitsStart;
        boolean integer = true;
        if (i < end && b[i] == '.') {
            integer = false;
            i++;
            if (!digitsFrom(i)) {
                return false;
            }
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            integer = false;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (!digitsFrom(i)) {
                return false;
            }
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        }
        if (i - pos > MAX_NUMBER_CHARS) {
            return false;
        }
        // A number must end at a delimiter: Jackson reads "12x" as an error, not as 12 then x.
        if (i < end && !delimiter(b[i])) {
            return false;
        }
        numInt = integer;
        numDigits = digits;
        numValue = (int) (negative ? -value : value);
        pos = i;
        return true;
    }

    private boolean digitsFrom(int i) {
        return i < end && b[i] >= '0' && b[i] <= '9';
    }

    private static boolean delimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** Whether the last number was an integer that fits an {@code int} for certain (at most 9 digits). */
    boolean smallInt() {
        return numInt && numDigits <= 9;
    }

    /** Whether the last number was an integer, of any length. */
    boolean numberIsInt() {
        return numInt;
    }

    /** The last number's value; only after {@link #smallInt()}. */
    int intValue() {
        return numValue;
    }

    /** Reads {@code true}, {@code false} or {@code null} at the current position. */
    private boolean literal() {
        int c = peek();
        String word = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : null;
        if (word == null || end - pos < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[pos + k] != word.charAt(k)) {
                return false;
            }
        }
        int after = pos + word.length();
        if (after < end && !delimiter(b[after])) {
            return false;
        }
        pos = after;
        return true;
    }

    /** Whether the value at the current position is {@code null}; consumes it when it is. */
    boolean nullValue() {
        return peek() == 'n' && literal();
    }

    /** Skips one whole value at the current position, nested {@code depth} deep. */
    boolean skipValue(int depth) {
        int c = peek();
        switch (c) {
            case '"':
                return string();
            case '{':
                return skipObject(depth + 1);
            case '[':
                return skipArray(depth + 1);
            case 't':
            case 'f':
            case 'n':
                return literal();
            default:
                return (c == '-' || c >= '0' && c <= '9') && number();
        }
    }

    private boolean skipObject(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        pos++; // {
        if (expect('}')) {
            return true;
        }
        do {
            if (!name() || !skipValue(depth)) {
                return false;
            }
        } while (expect(','));
        return expect('}');
    }

    private boolean skipArray(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        pos++; // [
        if (expect(']')) {
            return true;
        }
        do {
            if (!skipValue(depth)) {
                return false;
            }
        } while (expect(','));
        return expect(']');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
