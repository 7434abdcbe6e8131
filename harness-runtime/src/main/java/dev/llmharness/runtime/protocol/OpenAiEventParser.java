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
    /** @param wantText whether to collect the content text (for a token counter) */
    OpenAiEventParser(boolean wantText) {
        super(wantText);
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
