package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON body of an OpenAI chat or completions request: the model, the prompt, {@code
 * max_tokens}, {@code stream: true} with {@code stream_options.include_usage}, sampling fields when
 * set, {@code ignore_eos} and {@code min_tokens = max_tokens} when the output length is enforced,
 * then the request's extra body fields, which override any of these except {@code stream}.
 */
final class OpenAiBodies {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private OpenAiBodies() {}

    /** The chat messages as {@code [{"role": ..., "content": ...}]} (OpenAI's and Ollama's form). */
    static List<Map<String, String>> messages(ChatRequest chat) {
        List<Map<String, String>> messages = new ArrayList<>(chat.messages().size());
        for (Message m : chat.messages()) {
            messages.add(Map.of("role", m.role(), "content", m.content()));
        }
        return messages;
    }

    /** The body's fields in the order they are written (for tests and logs). */
    static Map<String, Object> fields(LlmRequest request, String model) {
        return fields(request, model, true);
    }

    /**
     * The body's fields, streamed or not: a non-streamed body has {@code "stream": false} and no
     * {@code stream_options} (servers reject {@code stream_options} without streaming).
     */
    static Map<String, Object> fields(LlmRequest request, String model, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        if (request instanceof ChatRequest chat) {
            body.put("messages", messages(chat));
        } else {
            body.put("prompt", ((CompletionRequest) request).prompt());
        }
        body.put("max_tokens", request.maxTokens());
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (request.exactOutput()) {
            body.put("ignore_eos", true);
            body.put("min_tokens", request.maxTokens());
        }
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        body.putAll(request.extraBody());
        if (!stream) {
            body.remove("stream_options");
        }
        body.put("stream", stream);
        return body;
    }

    /** The body as UTF-8 JSON. */
    static byte[] write(LlmRequest request, String model) {
        return json(fields(request, model));
    }

    /** The body, streamed or not, as UTF-8 JSON. */
    static byte[] write(LlmRequest request, String model, boolean stream) {
        return json(fields(request, model, stream));
    }

    /**
     * Any protocol's body fields as UTF-8 JSON.
     *
     * @throws IllegalArgumentException when a value does not serialise (bad {@code extraBody})
     */
    static byte[] json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the request body does not serialise (check extraBody values: strings, numbers, booleans,"
                            + " lists and maps only): " + e.getOriginalMessage(),
                    e);
        }
    }
}
