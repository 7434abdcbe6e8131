package dev.llmharness.api;

import java.util.Objects;

/**
 * One prompt sampled for one request: the text to send, its exact length under the trial's
 * encoding, and the output length the workload asks for. Prompts are deterministic functions of
 * the trial seed and the request index.
 *
 * @param index request index within the trial, from {@code 0}
 * @param text the prompt text (the user message for chat APIs)
 * @param inputTokens length of {@code text} in tokens under the trial's encoding, {@code >= 1}
 * @param outputTokens output length to request in tokens, {@code >= 1}
 * @param exactOutput whether the output length should be enforced ({@code ignore_eos} / {@code
 *     min_tokens}) rather than only capped
 * @param reference the dataset's reference answer, or {@code null} when there is none
 */
public record Prompt(
        long index, String text, int inputTokens, int outputTokens, boolean exactOutput, String reference) {
    public Prompt {
        Objects.requireNonNull(text, "text");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (inputTokens < 1) {
            throw new IllegalArgumentException("inputTokens must be >= 1, got " + inputTokens);
        }
        if (outputTokens < 1) {
            throw new IllegalArgumentException("outputTokens must be >= 1, got " + outputTokens);
        }
    }
}
