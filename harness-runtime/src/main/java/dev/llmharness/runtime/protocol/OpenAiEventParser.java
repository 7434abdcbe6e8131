package dev.llmharness.runtime.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Parses the {@code data:} payload of one OpenAI streaming event (chat or completions) with a
 * streaming JSON parser: no tree, no strings unless a token counter asks for the text. Not
 * thread-safe: one per stream, reused for each event.
 *
 * <p>One non-blocking Jackson parser serves the whole stream: each event's bytes are fed to it
 * as the next root-level value, so no parser, context or buffer is allocated per event (a fresh
 * parser per event costs about 850 bytes; see {@code EventPathBenchmark}). A parse error ends the
 * request, so a parser that has seen one is never used again.
 *
 * <p>An event carries content when any choice has a non-empty {@code delta.content}, {@code
 * delta.reasoning_content}, {@code delta.reasoning}, a non-empty {@code delta.tool_calls} array
 * (chat), or a non-empty {@code text} (completions). Role-only and empty chunks carry none. A
 * choice's string {@code finish_reason} marks the answer finished, which lets a stream that ends
 * cleanly without {@code [DONE]} (some servers do so) count as complete.
 */
final class OpenAiEventParser {
    private static final JsonFactory JSON = new JsonFactory();

    /** What one event was. */
    enum Kind {
        /** {@code [DONE]}: the stream's terminator. */
        DONE,
        /** A chunk with generated content. */
        CONTENT,
        /** A valid chunk without content (role-only, empty, finish or usage-only). */
        OTHER,
        /**
         * A JSON object with neither {@code choices} nor {@code usage} (nor {@code error}), such as
         * {@code data: {}}: a server's keep-alive or metadata event, counted and otherwise ignored.
         */
        IGNORED,
        /**
         * Not JSON, an {@code error} object, a {@code choices} that is not an array or a {@code
         * usage} that is neither an object nor null.
         */
        INVALID
    }

    private final boolean wantText;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final StringBuilder text = new StringBuilder();
    private boolean content;
    private int toolCalls;
    private int promptTokens;
    private int completionTokens;
    private boolean finished;
    private String problem;

    /** @param wantText whether to collect the content text (for a token counter) */
    OpenAiEventParser(boolean wantText) {
        this.wantText = wantText;
        try {
            this.parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Parses one payload; the accessors then describe it until the next call. */
    Kind parse(byte[] data, int offset, int length) {
        content = false;
        toolCalls = 0;
        promptTokens = -1;
        completionTokens = -1;
        finished = false;
        problem = null;
        if (wantText) {
            text.setLength(0);
        }
        if (isDone(data, offset, length)) {
            return Kind.DONE;
        }
        boolean sawChoices = false;
        boolean sawUsage = false;
        JsonParser p = parser;
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
            JsonToken t;
            while ((t = next(p)) == JsonToken.FIELD_NAME) {
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
                    case "error" -> {
                        problem = "server sent an error event: " + errorText(p, value);
                        return Kind.INVALID;
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                problem = "event is not a complete JSON object";
                return Kind.INVALID;
            }
            // Consume what follows the object (whitespace only) so the next event can be fed.
            if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                problem = "event holds more than one JSON value";
                return Kind.INVALID;
            }
        } catch (IOException e) {
            problem = "event is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse("");
            return Kind.INVALID;
        }
        if (!sawChoices && !sawUsage) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }

    /**
     * The next token of the current event; an event whose data ends inside a value is invalid
     * (the non-blocking parser would otherwise answer "not available" forever).
     */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE || t == null) {
            throw new IOException("the event's data ends inside a JSON value");
        }
        return t;
    }

    private static boolean isDone(byte[] d, int off, int len) {
        while (len > 0 && d[off + len - 1] <= ' ') {
            len--;
        }
        return len == 6
                && d[off] == '['
                && d[off + 1] == 'D'
                && d[off + 2] == 'O'
                && d[off + 3] == 'N'
                && d[off + 4] == 'E'
                && d[off + 5] == ']';
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
                if ("delta".equals(name) && value == JsonToken.START_OBJECT) {
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
                case "content", "reasoning_content", "reasoning" -> {
                    if (value == JsonToken.VALUE_STRING) {
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

    private void noteText(JsonParser p) throws IOException {
        if (p.getTextLength() > 0) {
            content = true;
            if (wantText) {
                text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
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

    private static String errorText(JsonParser p, JsonToken value) throws IOException {
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

    /** The content text of the last event (only when constructed with {@code wantText}). */
    String text() {
        return text.toString();
    }

    /** Tool-call deltas in the last event. */
    int toolCalls() {
        return toolCalls;
    }

    /** {@code usage.prompt_tokens} of the last event, or {@code -1}. */
    int promptTokens() {
        return promptTokens;
    }

    /** {@code usage.completion_tokens} of the last event, or {@code -1}. */
    int completionTokens() {
        return completionTokens;
    }

    /** Whether a choice of the last event carried a {@code finish_reason} (a string, not null). */
    boolean finished() {
        return finished;
    }

    /** Why the last event was {@link Kind#INVALID}. */
    String problem() {
        return problem;
    }
}
