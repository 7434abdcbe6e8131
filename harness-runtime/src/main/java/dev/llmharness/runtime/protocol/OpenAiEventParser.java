package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Parses the {@code data:} payload of one OpenAI streaming event (chat or completions) with a
 * streaming JSON parser: no tree, no strings unless a token counter asks for the text. Not
 * thread-safe: one per stream, reused for each event.
 *
 * <p>An event carries content when any choice has a non-empty {@code delta.content}, {@code
 * delta.reasoning_content}, {@code delta.reasoning}, a non-empty {@code delta.tool_calls} array
 * (chat), or a non-empty {@code text} (completions). Role-only and empty chunks carry none. A
 * choice's string {@code finish_reason} marks the answer finished, which lets a stream that ends
 * cleanly without {@code [DONE]} (some servers do so) count as complete.
 */
final class OpenAiEventParser extends JsonEventDecoder {
    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] TIMINGS = ascii("timings");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] TEXT = ascii("text");
    private static final byte[] FINISH_REASON = ascii("finish_reason");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] REASONING_CONTENT = ascii("reasoning_content");
    private static final byte[] REASONING = ascii("reasoning");
    private static final byte[] TOOL_CALLS = ascii("tool_calls");
    private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");

    /** The fast path's scanner, or {@code null} when every event goes to Jackson. */
    private final JsonScanner scan;

    /** Whether the fast path compares each event with the last one it scanned ({@link #sameShape}). */
    private final boolean memo;

    // The last content event the scanner read whose content was one non-empty string (see
    // sameShape): its bytes before that string's raw text, opening quote included, in
    // shape[0, shapePrefix); its bytes from the closing quote on in shape[shapePrefix,
    // shapePrefix + shapeSuffix); and its reading. shapePrefix is -1 while there is none.
    private byte[] shape;
    private int shapePrefix = -1;
    private int shapeSuffix;
    private boolean shapeReasoning;
    private boolean shapeFinished;
    private int shapeToolCalls;
    private int shapePromptTokens;
    private int shapeCompletionTokens;
    /** Events read by {@link #sameShape} so far (tests see that the comparison is taken). */
    private long shapeReads;

    // Non-empty content strings the scan of the current event has met, and the last one's bounds.
    private int texts;
    private int textStart;
    private int textEnd;

    /** @param wantText whether to collect the content text (for a token counter) */
    OpenAiEventParser(boolean wantText) {
        this(wantText, true);
    }

    /**
     * @param wantText whether to collect the content text (for a token counter)
     * @param fastPath whether to scan usual events without Jackson (tests compare both ways)
     */
    OpenAiEventParser(boolean wantText, boolean fastPath) {
        this(wantText, fastPath, fastPath);
    }

    /**
     * @param wantText whether to collect the content text (for a token counter)
     * @param fastPath whether to scan usual events without Jackson
     * @param memo whether the fast path first compares an event with the last one it scanned
     *     (only with {@code fastPath}; the benchmark and the tests compare all three ways)
     */
    OpenAiEventParser(boolean wantText, boolean fastPath, boolean memo) {
        super(wantText);
        this.scan = fastPath ? new JsonScanner() : null;
        this.memo = fastPath && memo;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The fast path: the same reading as {@link #readFields} and its helpers, field by field in
     * the same order, over {@link JsonScanner}; an event it cannot read with certainty (non-ASCII
     * text, an escaped field name, {@code timings}, {@code error}, any invalid JSON, a value of an
     * unexpected type where {@link #readFields} would call the event invalid) goes to Jackson.
     * Jackson cost about 60 % of the event path's time, and its non-blocking parser is a large body
     * of code for the JIT to compile while a run has started.
     *
     * <p>Before the scan, an event that has the shape of the last content event scanned, with
     * only its text changed, is read from that shape ({@link #sameShape}): most events of a stream.
     */
    @Override
    protected Kind fast(byte[] data, int offset, int length) {
        JsonScanner s = scan;
        if (s == null) {
            return null;
        }
        if (shapePrefix >= 0 && sameShape(data, offset, length)) {
            return Kind.CONTENT;
        }
        texts = 0;
        Kind kind = scanEvent(s, data, offset, length);
        if (memo && kind == Kind.CONTENT && texts == 1) {
            remember(data, offset, length);
        }
        return kind;
    }

    /**
     * Reads the event from its shape, when it is the last remembered content event ({@link
     * #remember}) with only the text of its one content string changed: the same bytes before the
     * string's opening quote, the same bytes from its closing quote to the end, and between them
     * a non-empty run of plain bytes ({@link JsonScanner#plain}). Then the scan would read it
     * exactly as it read that event: it meets the same bytes in the same state up to the opening
     * quote; the string ends at the first quote, which is the remembered closing one, as no
     * backslash comes before it; the string is a value (the scan notes only values as content),
     * and non-empty as before, so every flag it sets is set alike; and the scan goes on over the
     * same bytes in the same state to the end. So the reading is the remembered one, with this
     * string as its text. Two compares of about a whole event (vectorised by the JDK) and a short
     * loop over the text replace the scan of every byte: a vLLM-like stream's events differ only in
     * their text, and the scan was most of the event path's time at ITL 0 (docs/performance.md).
     */
    private boolean sameShape(byte[] data, int offset, int length) {
        int p = shapePrefix;
        int from = offset + p;
        int to = offset + length - shapeSuffix;
        if (to <= from
                || length > JsonScanner.MAX_EVENT_BYTES
                || !java.util.Arrays.equals(data, offset, from, shape, 0, p)
                || !java.util.Arrays.equals(data, to, offset + length, shape, p, p + shapeSuffix)
                || !JsonScanner.plain(data, from, to)) {
            return false;
        }
        content = true;
        reasoning = shapeReasoning;
        finished = shapeFinished;
        toolCalls = shapeToolCalls;
        promptTokens = shapePromptTokens;
        completionTokens = shapeCompletionTokens;
        if (wantText) {
            text.ensureCapacity(text.length() + (to - from));
            for (int i = from; i < to; i++) {
                text.append((char) data[i]);
            }
        }
        shapeReads++;
        return true;
    }

    /**
     * Remembers the event just scanned, a content event with one non-empty content string, as
     * {@link #sameShape} compares it.
     */
    private void remember(byte[] data, int offset, int length) {
        int p = textStart - offset;
        int q = offset + length - textEnd;
        if (shape == null || shape.length < p + q) {
            shape = new byte[Math.max(p + q, 256)];
        }
        System.arraycopy(data, offset, shape, 0, p);
        System.arraycopy(data, textEnd, shape, p, q);
        shapePrefix = p;
        shapeSuffix = q;
        shapeReasoning = reasoning;
        shapeFinished = finished;
        shapeToolCalls = toolCalls;
        shapePromptTokens = promptTokens;
        shapeCompletionTokens = completionTokens;
    }

    /** Events read from the remembered shape so far ({@link #sameShape}). */
    long shapeReads() {
        return shapeReads;
    }

    /** The scan: see {@link #fast}. */
    private Kind scanEvent(JsonScanner s, byte[] data, int offset, int length) {
        if (!s.reset(data, offset, length) || !s.expect('{')) {
            return null;
        }
        boolean sawChoices = false;
        boolean sawUsage = false;
        if (!s.expect('}')) {
            do {
                if (!s.name() || s.escaped()) {
                    return null;
                }
                if (s.nameIs(CHOICES)) {
                    if (!s.expect('[') || !fastChoices(s)) {
                        return null;
                    }
                    sawChoices = true;
                } else if (s.nameIs(USAGE)) {
                    if (s.peek() == '{') {
                        if (!fastUsage(s)) {
                            return null;
                        }
                        sawUsage = true;
                    } else if (!s.nullValue()) {
                        return null;
                    }
                } else if (s.nameIs(TIMINGS) || s.nameIs(ERROR)) {
                    return null;
                } else if (!s.skipValue(1)) {
                    return null;
                }
            } while (s.expect(','));
            if (!s.expect('}')) {
                return null;
            }
        }
        if (!s.atEnd()) {
            return null;
        }
        if (!sawChoices && !sawUsage) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }

    /** After the {@code [} of {@code choices}: as {@link #readChoices}. */
    private boolean fastChoices(JsonScanner s) {
        if (s.expect(']')) {
            return true;
        }
        do {
            if (s.peek() != '{') {
                if (!s.skipValue(2)) {
                    return false;
                }
                continue;
            }
            s.expect('{');
            if (s.expect('}')) {
                continue;
            }
            do {
                if (!s.name() || s.escaped()) {
                    return false;
                }
                int next = s.peek();
                if (next == '{' && (s.nameIs(DELTA) || s.nameIs(MESSAGE))) {
                    s.expect('{');
                    if (!fastDelta(s)) {
                        return false;
                    }
                } else if (next == '"' && s.nameIs(TEXT)) {
                    if (!s.string()) {
                        return false;
                    }
                    fastText(s);
                } else if (next == '"' && s.nameIs(FINISH_REASON)) {
                    if (!s.string()) {
                        return false;
                    }
                    finished = true;
                } else if (!s.skipValue(3)) {
                    return false;
                }
            } while (s.expect(','));
            if (!s.expect('}')) {
                return false;
            }
        } while (s.expect(','));
        return s.expect(']');
    }

    /** After the {@code {} of a choice's {@code delta} or {@code message}: as {@link #readDelta}. */
    private boolean fastDelta(JsonScanner s) {
        if (s.expect('}')) {
            return true;
        }
        do {
            if (!s.name() || s.escaped()) {
                return false;
            }
            int next = s.peek();
            if (s.nameIs(CONTENT)) {
                if (next == '"') {
                    if (!s.string()) {
                        return false;
                    }
                    fastText(s);
                } else if (!s.skipValue(4)) {
                    return false;
                }
            } else if (s.nameIs(REASONING_CONTENT) || s.nameIs(REASONING)) {
                if (next == '"') {
                    if (!s.string()) {
                        return false;
                    }
                    if (s.stringLength() > 0) {
                        reasoning = true;
                    }
                    fastText(s);
                } else if (!s.skipValue(4)) {
                    return false;
                }
            } else if (s.nameIs(TOOL_CALLS) && next == '[') {
                s.expect('[');
                if (!s.expect(']')) {
                    do {
                        if (!s.skipValue(5)) {
                            return false;
                        }
                        toolCalls++;
                        content = true;
                    } while (s.expect(','));
                    if (!s.expect(']')) {
                        return false;
                    }
                }
            } else if (!s.skipValue(4)) {
                return false;
            }
        } while (s.expect(','));
        return s.expect('}');
    }

    /** As {@link #noteText}: the string just read is content when it is not empty. */
    private void fastText(JsonScanner s) {
        if (s.stringLength() > 0) {
            texts++;
            textStart = s.stringStart();
            textEnd = s.stringEnd();
            content = true;
            if (wantText) {
                s.appendString(text);
            }
        }
    }

    /** At the {@code {} of {@code usage}: as {@link #readUsage}. */
    private boolean fastUsage(JsonScanner s) {
        s.expect('{');
        if (s.expect('}')) {
            return true;
        }
        do {
            if (!s.name() || s.escaped()) {
                return false;
            }
            int next = s.peek();
            boolean prompt = s.nameIs(PROMPT_TOKENS);
            boolean completion = !prompt && s.nameIs(COMPLETION_TOKENS);
            if ((prompt || completion) && (next == '-' || next >= '0' && next <= '9')) {
                if (!s.number()) {
                    return false;
                }
                if (s.smallInt()) {
                    if (prompt) {
                        promptTokens = s.intValue();
                    } else {
                        completionTokens = s.intValue();
                    }
                } else if (s.numberIsInt()) {
                    return false; // an integer that may not fit an int: Jackson says how it fails
                }
            } else if (!s.skipValue(2)) {
                return false;
            }
        } while (s.expect(','));
        return s.expect('}');
    }

    @Override
    protected Kind special(byte[] d, int off, int len) {
        while (len > 0 && d[off + len - 1] <= ' ') {
            len--;
        }
        boolean done = len == 6
                && d[off] == '['
                && d[off + 1] == 'D'
                && d[off + 2] == 'O'
                && d[off + 3] == 'N'
                && d[off + 4] == 'E'
                && d[off + 5] == ']';
        return done ? Kind.DONE : null;
    }

    /**
     * An object with neither {@code choices} nor {@code usage} is {@link Kind#IGNORED}; a {@code
     * choices} that is not an array, a {@code usage} that is neither an object nor null, or an
     * {@code error} is {@link Kind#INVALID}.
     */
    @Override
    protected Kind readFields(JsonParser p) throws IOException {
        boolean sawChoices = false;
        boolean sawUsage = false;
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "choices" -> {
                    if (value != JsonToken.START_ARRAY) {
                        problem = "\"choices\" is not an array";
                        return Kind.INVALID;
                    }
                    sawChoices = true;
                    readChoices(p);
                }
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) {
                        sawUsage = true;
                        readUsage(p);
                    } else if (value != JsonToken.VALUE_NULL) {
                        // OpenAI sends "usage": null on every chunk but the last.
                        problem = "\"usage\" is neither an object nor null";
                        return Kind.INVALID;
                    }
                }
                case "timings" -> {
                    // llama.cpp adds its own timings to the last chunk of its OpenAI endpoints.
                    if (value == JsonToken.START_OBJECT) {
                        timings = LlamaCppTimings.read(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "error" -> {
                    problem = "server sent an error event: " + errorText(p, value);
                    return Kind.INVALID;
                }
                default -> p.skipChildren();
            }
        }
        if (!sawChoices && !sawUsage) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }

    private void readChoices(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (next(p) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = next(p);
                // A non-streamed answer's choice has the whole "message" in place of a "delta".
                if (value == JsonToken.START_OBJECT && ("delta".equals(name) || "message".equals(name))) {
                    readDelta(p);
                } else if ("text".equals(name) && value == JsonToken.VALUE_STRING) {
                    noteText(p);
                } else if (value == JsonToken.VALUE_STRING && "finish_reason".equals(name)) {
                    finished = true;
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private void readDelta(JsonParser p) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "content" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        noteText(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "reasoning_content", "reasoning" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        if (p.getTextLength() > 0) {
                            reasoning = true;
                        }
                        noteText(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "tool_calls" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (next(p) != JsonToken.END_ARRAY) {
                            p.skipChildren();
                            toolCalls++;
                            content = true;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private void readUsage(JsonParser p) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            if (value == JsonToken.VALUE_NUMBER_INT && "prompt_tokens".equals(name)) {
                promptTokens = p.getIntValue();
            } else if (value == JsonToken.VALUE_NUMBER_INT && "completion_tokens".equals(name)) {
                completionTokens = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
    }
}
