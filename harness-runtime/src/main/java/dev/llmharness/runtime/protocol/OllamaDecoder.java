package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmharness.runtime.metrics.ServerTimings;
import java.io.IOException;

/**
 * Decodes one NDJSON line of Ollama's {@code /api/generate} ({@code response}, {@code thinking})
 * or {@code /api/chat} ({@code message.content}, {@code message.thinking}) stream. The last line
 * has {@code "done": true}, {@code done_reason}, and the server's counts and durations in
 * nanoseconds ({@code prompt_eval_count}, {@code prompt_eval_duration}, {@code eval_count}, {@code
 * eval_duration}, {@code load_duration}, {@code total_duration}). An {@code error} is invalid; a
 * line with none of {@code response}, {@code message} or {@code done} is ignored.
 */
final class OllamaDecoder extends JsonEventDecoder {
    OllamaDecoder(boolean wantText) {
        super(wantText);
    }

    @Override
    protected Kind readFields(JsonParser p) throws IOException {
        boolean known = false;
        long promptNanos = -1;
        long evalNanos = -1;
        long loadNanos = -1;
        long totalNanos = -1;
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "response" -> {
                    known = true;
                    text(p, value, false);
                }
                case "thinking" -> text(p, value, true);
                case "message" -> {
                    known = true;
                    if (value == JsonToken.START_OBJECT) {
                        readMessage(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "done" -> {
                    known = true;
                    if (value == JsonToken.VALUE_TRUE) {
                        last = true;
                    }
                }
                case "done_reason" -> finished = value == JsonToken.VALUE_STRING;
                case "prompt_eval_count" -> promptTokens = intOrMinusOne(p, value);
                case "eval_count" -> completionTokens = intOrMinusOne(p, value);
                case "prompt_eval_duration" -> promptNanos = longOrMinusOne(p, value);
                case "eval_duration" -> evalNanos = longOrMinusOne(p, value);
                case "load_duration" -> loadNanos = longOrMinusOne(p, value);
                case "total_duration" -> totalNanos = longOrMinusOne(p, value);
                case "error" -> {
                    problem = "server sent an error: " + errorText(p, value);
                    return Kind.INVALID;
                }
                default -> p.skipChildren();
            }
        }
        if (last) {
            // "done": true is the answer's end whether or not a done_reason came with it.
            finished = true;
        }
        if (promptNanos >= 0 || evalNanos >= 0 || loadNanos >= 0 || totalNanos >= 0) {
            timings = new ServerTimings(promptNanos, promptTokens, evalNanos, completionTokens, loadNanos, totalNanos);
        }
        if (!known) {
            return Kind.IGNORED;
        }
        return content ? Kind.CONTENT : Kind.OTHER;
    }

    private void readMessage(JsonParser p) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = next(p);
            switch (name) {
                case "content" -> text(p, value, false);
                case "thinking" -> text(p, value, true);
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

    private void text(JsonParser p, JsonToken value, boolean thinking) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return;
        }
        if (thinking && p.getTextLength() > 0) {
            reasoning = true;
        }
        noteText(p);
    }

    private static long longOrMinusOne(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        p.skipChildren();
        return -1;
    }
}
