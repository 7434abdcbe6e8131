package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmharness.runtime.metrics.ServerTimings;
import java.io.IOException;

/**
 * Decodes TGI's {@code /generate_stream} events: {@code {"index": i, "token": {"id", "text",
 * "logprob", "special"}, "generated_text": null, "details": null}} per token; the last event
 * carries the whole {@code generated_text} and {@code details} ({@code finish_reason}, {@code
 * generated_tokens}, {@code input_length}). A special token (end of sequence) is not content. An
 * {@code error} is invalid; an event without {@code token} is ignored.
 */
final class TgiDecoder extends JsonEventDecoder {
    TgiDecoder(boolean wantText) {
        super(wantText);
    }

    @Override
    protected Kind readFields(JsonParser p) throws IOException {
        boolean known = false;
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "token" -> {
                    known = true;
                    if (value == JsonToken.START_OBJECT) {
                        readToken(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "generated_text" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        last = true;
                    } else {
                        p.skipChildren();
                    }
                }
                case "details" -> {
                    if (value == JsonToken.START_OBJECT) {
                        readDetails(p);
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
        if (!known) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }

    private void readToken(JsonParser p) throws IOException {
        boolean special = false;
        boolean hasText = false;
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            if ("special".equals(name)) {
                special = value == JsonToken.VALUE_TRUE;
            } else if ("text".equals(name) && value == JsonToken.VALUE_STRING && !special) {
                // TGI writes "special" after "text"; a special token's text is undone below.
                hasText = p.getTextLength() > 0;
                noteText(p);
            } else {
                p.skipChildren();
            }
        }
        if (special && hasText) {
            content = false;
            if (wantText) {
                text.setLength(0);
            }
        }
    }

    private void readDetails(JsonParser p) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "finish_reason" -> {
                    finished = value == JsonToken.VALUE_STRING;
                    p.skipChildren();
                }
                case "generated_tokens" -> completionTokens = intOrMinusOne(p, value);
                case "input_length" -> promptTokens = intOrMinusOne(p, value);
                default -> p.skipChildren();
            }
        }
        if (completionTokens >= 0) {
            timings = new ServerTimings(-1, promptTokens, -1, completionTokens, -1, -1);
        }
    }
}
