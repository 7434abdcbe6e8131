package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Decodes llama.cpp's native {@code /completion} stream: {@code {"content": ..., "stop": false,
 * "tokens_predicted": n, "tokens_evaluated": m}} per chunk, and a last chunk with {@code "stop":
 * true}, {@code stop_type} and {@code timings}; there is no {@code [DONE]}. An {@code error}
 * object is invalid; an object without {@code content} or {@code stop} is ignored.
 */
final class LlamaCppDecoder extends JsonEventDecoder {
    LlamaCppDecoder(boolean wantText) {
        super(wantText);
    }

    @Override
    protected Kind readFields(JsonParser p) throws IOException {
        boolean known = false;
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "content" -> {
                    known = true;
                    if (value == JsonToken.VALUE_STRING) {
                        noteText(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "stop" -> {
                    known = true;
                    if (value == JsonToken.VALUE_TRUE) {
                        last = true;
                        finished = true;
                    }
                }
                case "tokens_predicted" -> completionTokens = intOrMinusOne(p, value);
                case "tokens_evaluated" -> promptTokens = intOrMinusOne(p, value);
                case "timings" -> {
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
        if (!known) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }
}
