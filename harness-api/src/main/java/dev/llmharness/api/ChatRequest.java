package dev.llmharness.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OpenAI chat-completions request. Immutable: each {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * return ChatRequest.of(prompt).system("You are terse.").temperature(0.7);
 * }</pre>
 *
 * @param messages the conversation, at least one message
 * @param maxTokens output tokens to request, {@code >= 1}
 * @param exactOutput whether to enforce the output length
 * @param inputTokens prompt length in tokens when known, else {@code -1}
 * @param temperature sampling temperature, or {@code null}
 * @param topP nucleus sampling bound, or {@code null}
 * @param extraBody further body fields, sent as they are
 */
public record ChatRequest(
        List<Message> messages,
        int maxTokens,
        boolean exactOutput,
        int inputTokens,
        Double temperature,
        Double topP,
        Map<String, Object> extraBody)
        implements LlmRequest {

    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        extraBody = Map.copyOf(extraBody);
    }

    /** A single user message holding the prompt's text, asking for the prompt's output length. */
    public static ChatRequest of(Prompt prompt) {
        return new ChatRequest(
                List.of(Message.user(prompt.text())),
                prompt.outputTokens(),
                prompt.exactOutput(),
                prompt.inputTokens(),
                null,
                null,
                Map.of());
    }

    /** A single user message, asking for at most {@code maxTokens} output tokens. */
    public static ChatRequest of(String userText, int maxTokens) {
        return new ChatRequest(List.of(Message.user(userText)), maxTokens, false, -1, null, null, Map.of());
    }

    /** A copy with a system message placed first. Its tokens are not in {@link #inputTokens()}. */
    public ChatRequest system(String content) {
        List<Message> all = new ArrayList<>(messages.size() + 1);
        all.add(Message.system(content));
        all.addAll(messages);
        return new ChatRequest(all, maxTokens, exactOutput, inputTokens, temperature, topP, extraBody);
    }

    /** A copy with the given sampling temperature. */
    public ChatRequest temperature(double value) {
        return new ChatRequest(messages, maxTokens, exactOutput, inputTokens, value, topP, extraBody);
    }

    /** A copy with the given nucleus sampling bound. */
    public ChatRequest topP(double value) {
        return new ChatRequest(messages, maxTokens, exactOutput, inputTokens, temperature, value, extraBody);
    }

    /** A copy asking for at most {@code value} output tokens. */
    public ChatRequest maxTokens(int value) {
        return new ChatRequest(messages, value, exactOutput, inputTokens, temperature, topP, extraBody);
    }

    /** A copy that enforces (or only caps) the output length. */
    public ChatRequest exactOutput(boolean value) {
        return new ChatRequest(messages, maxTokens, value, inputTokens, temperature, topP, extraBody);
    }

    /** A copy with one more body field, sent as it is. */
    public ChatRequest extra(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, Object> body = new LinkedHashMap<>(extraBody);
        body.put(name, value);
        return new ChatRequest(messages, maxTokens, exactOutput, inputTokens, temperature, topP, body);
    }
}
