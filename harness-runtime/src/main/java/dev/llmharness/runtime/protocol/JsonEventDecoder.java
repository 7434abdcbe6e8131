package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.llmharness.runtime.metrics.ServerTimings;
import java.io.IOException;

/**
 * The shared machinery of the JSON event decoders: one non-blocking Jackson parser per stream, fed
 * each event's bytes as the next root-level value, so that no parser, context or buffer is
 * allocated per event (a fresh parser per event costs about 850 bytes; see {@code
 * EventPathBenchmark}). The parser is made when the first event needs it: a decoder whose fast
 * path reads every event of its stream ({@link #fast}) makes none, and no parser, symbol table or
 * buffer is made and released per request. A parse error ends the request, so a parser that has
 * seen one is never used again. Subclasses read one object's fields ({@link #readFields}) and set
 * the protected state; the accessors of {@link EventDecoder} are here.
 */
abstract class JsonEventDecoder implements EventDecoder {
    private static final JsonFactory JSON = new JsonFactory();

    /** Made by the first event that needs it ({@link #jackson()}); {@code null} before. */
    private JsonParser parser;

    private ByteArrayFeeder feeder;
    protected final boolean wantText;
    protected final StringBuilder text = new StringBuilder();
    protected boolean content;
    protected boolean last;
    protected boolean finished;
    protected boolean reasoning;
    protected int toolCalls;
    protected int promptTokens;
    protected int completionTokens;
    protected ServerTimings timings;
    protected String problem;

    /** @param wantText whether to collect the content text (for a token counter) */
    JsonEventDecoder(boolean wantText) {
        this.wantText = wantText;
    }

    /** The stream's Jackson parser, made the first time. */
    private JsonParser jackson() {
        if (parser == null) {
            try {
                parser = JSON.createNonBlockingByteArrayParser();
            } catch (IOException e) {
                throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
            }
            feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }
        return parser;
    }

    /**
     * Reads the fields of one event object, from its first field name to its {@code END_OBJECT}
     * inclusive, and says what the event was; sets {@link #problem} when it returns {@link
     * Kind#INVALID}.
     */
    protected abstract Kind readFields(JsonParser p) throws IOException;

    /**
     * Decodes the event without the JSON parser when it has the protocol's usual shape, setting
     * the same state the parser's path would; {@code null} to leave it to the parser (anything
     * unusual, invalid or rare). The default leaves every event to the parser.
     */
    protected Kind fast(byte[] data, int offset, int length) {
        return null;
    }

    /** A payload that is not JSON but means something to the protocol ({@code [DONE]}), else null. */
    protected Kind special(byte[] data, int offset, int length) {
        return null;
    }

    @Override
    public final Kind decode(byte[] data, int offset, int length) {
        content = false;
        last = false;
        finished = false;
        reasoning = false;
        toolCalls = 0;
        promptTokens = -1;
        completionTokens = -1;
        timings = null;
        problem = null;
        if (wantText) {
            text.setLength(0);
        }
        Kind special = special(data, offset, length);
        if (special != null) {
            return special;
        }
        Kind fast = fast(data, offset, length);
        if (fast != null) {
            return fast;
        }
        // The fast path gave up part-way: start again from a clean state with the full parser.
        content = false;
        finished = false;
        reasoning = false;
        toolCalls = 0;
        promptTokens = -1;
        completionTokens = -1;
        if (wantText) {
            text.setLength(0);
        }
        JsonParser p = jackson();
        try {
            if (!feeder.needMoreInput()) {
                problem = "the previous event did not end where its data ended";
                return Kind.INVALID;
            }
            feeder.feedInput(data, offset, offset + length);
            if (next(p) != JsonToken.START_OBJECT) {
                problem = "event is not a JSON object";
                return Kind.INVALID;
            }
            Kind kind = readFields(p);
            if (kind == Kind.INVALID) {
                return kind;
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                problem = "event is not a complete JSON object";
                return Kind.INVALID;
            }
            // Consume what follows the object (whitespace only) so the next event can be fed.
            if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                problem = "event holds more than one JSON value";
                return Kind.INVALID;
            }
            return kind;
        } catch (IOException e) {
            problem = "event is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse("");
            return Kind.INVALID;
        }
    }

    /**
     * The next token of the current event; an event whose data ends inside a value is invalid
     * (the non-blocking parser would otherwise answer "not available" forever).
     */
    static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE || t == null) {
            throw new IOException("the event's data ends inside a JSON value");
        }
        return t;
    }

    /** Notes the current string value as content when it is not empty. */
    protected final void noteText(JsonParser p) throws IOException {
        if (p.getTextLength() > 0) {
            content = true;
            if (wantText) {
                text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
        }
    }

    /** The current value as an int when it is an integer, else {@code -1} (its children skipped). */
    static int intOrMinusOne(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        p.skipChildren();
        return -1;
    }

    /** The current value as a long when it is a number, else {@code -1} (its children skipped). */
    static double numberOrMinusOne(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        p.skipChildren();
        return -1;
    }

    /** The message of an {@code error} value: a string, or an object's {@code message}. */
    static String errorText(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return "(no message)";
        }
        String message = "(no message)";
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = next(p);
            if ("message".equals(name) && v == JsonToken.VALUE_STRING) {
                message = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return message;
    }

    @Override
    public boolean last() {
        return last;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public String text() {
        return text.toString();
    }

    @Override
    public void appendText(StringBuilder to) {
        to.append(text);
    }

    /**
     * Closes the parser, which hands the field names it has canonicalised to the factory's shared
     * table, so that the next stream's parser finds them there. Without it every stream's parser
     * started from an empty table and decoded and hashed each field name of its first events anew
     * (Jackson merges a parser's names back only when it is closed).
     */
    @Override
    public void close() {
        if (parser == null) {
            return; // the fast path read every event: no names were learnt
        }
        try {
            parser.close();
        } catch (IOException e) {
            // Closing a byte-array parser releases buffers only; nothing to report.
        }
    }

    @Override
    public int toolCalls() {
        return toolCalls;
    }

    @Override
    public boolean reasoning() {
        return reasoning;
    }

    @Override
    public int promptTokens() {
        return promptTokens;
    }

    @Override
    public int completionTokens() {
        return completionTokens;
    }

    @Override
    public ServerTimings serverTimings() {
        return timings;
    }

    @Override
    public String problem() {
        return problem;
    }
}
