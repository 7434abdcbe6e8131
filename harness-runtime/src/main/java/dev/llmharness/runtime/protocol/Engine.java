package dev.llmharness.runtime.protocol;

import dev.llmharness.api.Api;
import java.util.List;

/**
 * The inference server families the harness knows; each serves one or more {@link Protocol}s and
 * answers one discovery request that tells it from the others ({@link EngineProbe}).
 */
public enum Engine {
    /** Any OpenAI-compatible server (vLLM, SGLang, and the OpenAI endpoints of the others). */
    OPENAI_COMPATIBLE("OpenAI-compatible", "/v1/models", List.of(Api.OPENAI_CHAT, Api.OPENAI_COMPLETIONS)),
    /** llama.cpp's {@code llama-server}: {@code GET /props}. */
    LLAMACPP("llama.cpp", "/props", List.of(Api.LLAMACPP_COMPLETION, Api.OPENAI_CHAT, Api.OPENAI_COMPLETIONS)),
    /** Hugging Face Text Generation Inference: {@code GET /info}. */
    TGI("TGI", "/info", List.of(Api.TGI_GENERATE, Api.OPENAI_CHAT)),
    /** Ollama: {@code GET /api/version}. */
    OLLAMA(
            "Ollama",
            "/api/version",
            List.of(Api.OLLAMA_GENERATE, Api.OLLAMA_CHAT, Api.OPENAI_CHAT, Api.OPENAI_COMPLETIONS));

    private final String displayName;
    private final String signaturePath;
    private final List<Api> apis;

    Engine(String displayName, String signaturePath, List<Api> apis) {
        this.displayName = displayName;
        this.signaturePath = signaturePath;
        this.apis = apis;
    }

    /** The {@code GET} path only this engine answers with its own JSON, used to detect it. */
    public String signaturePath() {
        return signaturePath;
    }

    /** The APIs the harness can speak to this engine, its native ones first. */
    public List<Api> apis() {
        return apis;
    }

    /** The name shown to users, e.g. {@code llama.cpp}. */
    public String displayName() {
        return displayName;
    }
}
