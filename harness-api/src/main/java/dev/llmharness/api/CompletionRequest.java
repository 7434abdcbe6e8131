package dev.llmharness.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OpenAI (legacy) completions request. Immutable: each {@code with}-style method returns a
 * copy.
 *
 * @param prompt the prompt text
 * @param maxTokens output tokens to request, {@code >= 1}
 * @param exactOutput whether to enforce the output length
 * @param inputTokens prompt length in tokens when known, else {@code -1}
 * @param temperature sampling temperature, or {@code null}
 * @param topP nucleus sampling bound, or {@code null}
 * @param extraBody further body fields, sent as they are
 */
public record CompletionRequest(
        String prompt,
        int maxTokens,
        boolean exactOutput,
        int inputTokens,
        Double temperature,
        Double topP,
        Map<String, Object> extraBody)
        implements LlmRequest {

    public CompletionRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        extraBody = Map.copyOf(extraBody);
    }

    /** The prompt's text, asking for the prompt's output length. */
    public static CompletionRequest of(Prompt prompt) {
        return new CompletionRequest(
                prompt.text(), prompt.outputTokens(), prompt.exactOutput(), prompt.inputTokens(), null, null, Map.of());
    }

    /** A copy with the given sampling temperature. */
    public CompletionRequest temperature(double value) {
        return new CompletionRequest(prompt, maxTokens, exactOutput, inputTokens, value, topP, extraBody);
    }

    /** A copy with the given nucleus sampling bound. */
    public CompletionRequest topP(double value) {
        return new CompletionRequest(prompt, maxTokens, exactOutput, inputTokens, temperature, value, extraBody);
    }

    /** A copy asking for at most {@code value} output tokens. */
    public CompletionRequest maxTokens(int value) {
        return new CompletionRequest(prompt, value, exactOutput, inputTokens, temperature, topP, extraBody);
    }

    /** A copy that enforces (or only caps) the output length. */
    public CompletionRequest exactOutput(boolean value) {
        return new CompletionRequest(prompt, maxTokens, value, inputTokens, temperature, topP, extraBody);
    }

    /** A copy with one more body field, sent as it is. */
    public CompletionRequest extra(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, Object> body = new LinkedHashMap<>(extraBody);
        body.put(name, value);
        return new CompletionRequest(prompt, maxTokens, exactOutput, inputTokens, temperature, topP, body);
    }
}
