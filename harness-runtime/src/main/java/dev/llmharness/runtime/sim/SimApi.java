package dev.llmharness.runtime.sim;

/**
 * The generation endpoints the simulator serves, one per wire protocol the harness speaks; each
 * writes its answers with its own {@link SimWire}.
 */
enum SimApi {
    /** {@code POST /v1/chat/completions}. */
    OPENAI_CHAT("/v1/chat/completions", "chat", true),
    /** {@code POST /v1/completions}. */
    OPENAI_COMPLETIONS("/v1/completions", "completions", false),
    /** llama.cpp {@code POST /completion}. */
    LLAMACPP_COMPLETION("/completion", "llamacpp_completion", false),
    /** TGI {@code POST /generate_stream} (always streamed). */
    TGI_GENERATE_STREAM("/generate_stream", "tgi_generate_stream", false),
    /** TGI {@code POST /generate} (never streamed). */
    TGI_GENERATE("/generate", "tgi_generate", false),
    /** Ollama {@code POST /api/generate}. */
    OLLAMA_GENERATE("/api/generate", "ollama_generate", false),
    /** Ollama {@code POST /api/chat}. */
    OLLAMA_CHAT("/api/chat", "ollama_chat", true);

    private final String path;
    private final String endpoint;
    private final boolean chat;

    SimApi(String path, String endpoint, boolean chat) {
        this.path = path;
        this.endpoint = endpoint;
        this.chat = chat;
    }

    /** The request path. */
    String path() {
        return path;
    }

    /** The name in ground-truth records ({@code chat}, {@code completions}, {@code ollama_chat}...). */
    String endpoint() {
        return endpoint;
    }

    /** Whether the request carries messages (else a prompt). */
    boolean chat() {
        return chat;
    }

    /** Whether this is one of the OpenAI endpoints. */
    boolean openAi() {
        return this == OPENAI_CHAT || this == OPENAI_COMPLETIONS;
    }

    /** The endpoint at {@code path}, or null. */
    static SimApi ofPath(String path) {
        for (SimApi api : values()) {
            if (api.path.equals(path)) {
                return api;
            }
        }
        return null;
    }
}
