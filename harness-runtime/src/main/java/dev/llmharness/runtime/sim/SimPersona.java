package dev.llmharness.runtime.sim;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which engine the simulator poses as: the routes it serves and the shape of its {@code POST
 * /tokenize} answers. {@link #ALL} (the default) serves every engine's routes at once, which is
 * what most tests want; a single engine's persona serves only that engine's routes, so that
 * detection ({@code llmh probe}, {@code --api auto}) and tokenizer discovery can be tested against
 * each engine's answers, including its refusals of the others' requests.
 */
public enum SimPersona {
    /** Every route below, {@code /tokenize} answering each engine's body in that engine's shape. */
    ALL(
            "all",
            EnumSet.allOf(SimApi.class),
            Set.of(
                    "/props",
                    "/info",
                    "/api/tags",
                    "/api/version",
                    "/api/ps",
                    "/tokenize",
                    "/v1/models",
                    "/version",
                    "/health",
                    "/metrics")),
    /** vLLM (0.6 and later): the OpenAI endpoints, {@code /version}, {@code /tokenize}. */
    VLLM(
            "vllm",
            EnumSet.of(SimApi.OPENAI_CHAT, SimApi.OPENAI_COMPLETIONS),
            Set.of("/v1/models", "/version", "/health", "/metrics", "/tokenize")),
    /** llama.cpp's {@code llama-server}: {@code /completion}, the OpenAI endpoints, {@code /props}. */
    LLAMACPP(
            "llama.cpp",
            EnumSet.of(SimApi.LLAMACPP_COMPLETION, SimApi.OPENAI_CHAT, SimApi.OPENAI_COMPLETIONS),
            Set.of("/props", "/v1/models", "/health", "/metrics", "/tokenize")),
    /** TGI (2.x, 3.x): {@code /generate_stream}, {@code /generate}, the Messages API, {@code /info}. */
    TGI(
            "tgi",
            EnumSet.of(SimApi.TGI_GENERATE_STREAM, SimApi.TGI_GENERATE, SimApi.OPENAI_CHAT, SimApi.OPENAI_COMPLETIONS),
            Set.of("/info", "/v1/models", "/health", "/metrics", "/tokenize")),
    /** Ollama: {@code /api/*} and its OpenAI endpoints; no {@code /health}, {@code /metrics} or {@code /tokenize}. */
    OLLAMA(
            "ollama",
            EnumSet.of(SimApi.OLLAMA_GENERATE, SimApi.OLLAMA_CHAT, SimApi.OPENAI_CHAT, SimApi.OPENAI_COMPLETIONS),
            Set.of("/api/tags", "/api/version", "/api/ps", "/v1/models"));

    /** The names {@link #of(String)} accepts, in declaration order. */
    public static final List<String> NAMES =
            Arrays.stream(values()).map(SimPersona::wireName).toList();

    private final String wireName;
    private final Set<SimApi> apis;
    private final Set<String> paths;

    SimPersona(String wireName, Set<SimApi> apis, Set<String> paths) {
        this.wireName = wireName;
        this.apis = apis;
        this.paths = paths;
    }

    /** The name on the command line ({@code --engine}), e.g. {@code llama.cpp}. */
    public String wireName() {
        return wireName;
    }

    /** Whether this persona serves the generation endpoint {@code api}. */
    boolean serves(SimApi api) {
        return apis.contains(api);
    }

    /**
     * Whether this persona serves the non-generation {@code path} ({@code /admin/ground-truth},
     * the simulator's own, is always served).
     */
    boolean serves(String path) {
        return paths.contains(path);
    }

    /**
     * The persona named {@code name} (case does not matter).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static SimPersona of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (SimPersona p : values()) {
            if (p.wireName.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("engine must be one of " + NAMES + ", was " + name);
    }
}
