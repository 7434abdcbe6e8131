package dev.llmharness.api;

/** The HTTP API a benchmark speaks. */
public enum Api {
    /** OpenAI chat completions, {@code POST /v1/chat/completions}, streaming. */
    OPENAI_CHAT,
    /** OpenAI (legacy) completions, {@code POST /v1/completions}, streaming. */
    OPENAI_COMPLETIONS
}
