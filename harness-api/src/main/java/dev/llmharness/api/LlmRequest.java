package dev.llmharness.api;

import java.util.Map;

/**
 * A request a benchmark method builds; the runtime's API adapter turns it into the HTTP body. The
 * model, {@code stream} ({@code true} unless {@code @Endpoint(stream = false)}) and, when streamed,
 * {@code stream_options.include_usage} are added by the runtime.
 */
public sealed interface LlmRequest permits ChatRequest, CompletionRequest {
    /** Output tokens to request ({@code max_tokens}), {@code >= 1}. */
    int maxTokens();

    /** Whether the output length is enforced with {@code ignore_eos} / {@code min_tokens}. */
    boolean exactOutput();

    /**
     * Prompt length in tokens when known (from the {@link Prompt}), else {@code -1}; recorded as the
     * request's input tokens when the server reports no usage.
     */
    int inputTokens();

    /** Sampling temperature, or {@code null} for the server's default. */
    Double temperature();

    /** Nucleus sampling bound, or {@code null} for the server's default. */
    Double topP();

    /**
     * Further body fields sent as they are (values: strings, numbers, booleans, lists and maps of
     * these); they override fields the runtime would write, except {@code stream}.
     */
    Map<String, Object> extraBody();
}
