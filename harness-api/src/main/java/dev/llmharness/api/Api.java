package dev.llmharness.api;

/**
 * The HTTP API a benchmark speaks: one wire protocol of one endpoint. Each takes one request
 * shape: a conversation ({@link ChatRequest}) or a prompt ({@link CompletionRequest}). The runtime
 * owns how each is written and read (see {@code docs/engines.md}).
 */
public enum Api {
    /** OpenAI chat completions, {@code POST /v1/chat/completions} (vLLM, SGLang, llama.cpp, TGI...). */
    OPENAI_CHAT(true, false),
    /** OpenAI (legacy) completions, {@code POST /v1/completions}. */
    OPENAI_COMPLETIONS(false, true),
    /** llama.cpp's native {@code POST /completion} (SSE, self-reported {@code timings}). */
    LLAMACPP_COMPLETION(false, true),
    /** Hugging Face TGI's native {@code POST /generate_stream} (SSE token events, {@code details}). */
    TGI_GENERATE(false, true),
    /** Ollama {@code POST /api/chat} (NDJSON, self-reported durations). */
    OLLAMA_CHAT(true, false),
    /** Ollama {@code POST /api/generate} (NDJSON, self-reported durations). */
    OLLAMA_GENERATE(false, true);

    private final boolean messages;
    private final boolean prompt;

    Api(boolean messages, boolean prompt) {
        this.messages = messages;
        this.prompt = prompt;
    }

    /** Whether this API takes a conversation, a {@link ChatRequest}. */
    public boolean takesMessages() {
        return messages;
    }

    /** Whether this API takes a prompt, a {@link CompletionRequest}. */
    public boolean takesPrompt() {
        return prompt;
    }
}
