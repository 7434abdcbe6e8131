package dev.llmharness.runtime.protocol;

/** The inference server families the harness knows; each serves one or more {@link Protocol}s. */
public enum Engine {
    /** Any OpenAI-compatible server (vLLM, SGLang, and the OpenAI endpoints of the others). */
    OPENAI_COMPATIBLE("OpenAI-compatible"),
    /** llama.cpp's {@code llama-server}. */
    LLAMACPP("llama.cpp"),
    /** Hugging Face Text Generation Inference. */
    TGI("TGI"),
    /** Ollama. */
    OLLAMA("Ollama");

    private final String displayName;

    Engine(String displayName) {
        this.displayName = displayName;
    }

    /** The name shown to users, e.g. {@code llama.cpp}. */
    public String displayName() {
        return displayName;
    }
}
