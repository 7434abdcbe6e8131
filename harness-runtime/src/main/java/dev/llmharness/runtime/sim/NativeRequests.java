package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the engines' own request bodies into the OpenAI fields that {@link GenerationRequest}
 * validates, so that every endpoint shares one set of rules (context length, limits, seeds):
 * llama.cpp ({@code prompt}, {@code n_predict}, {@code ignore_eos}, {@code stream}), TGI ({@code
 * inputs}, {@code parameters.max_new_tokens}; streamed by path) and Ollama ({@code model}, {@code
 * prompt} or {@code messages}, {@code options.num_predict}, {@code stream} default true).
 */
final class NativeRequests {
    private NativeRequests() {}

    /** The OpenAI-shaped equivalent of {@code root}, a native request to {@code api}. */
    static ObjectNode asOpenAi(SimApi api, ObjectNode root, SimConfig config) {
        ObjectNode out = root.objectNode();
        switch (api) {
            case LLAMACPP_COMPLETION -> {
                // llama.cpp's native endpoint serves its one loaded model whatever "model" says.
                out.put("model", config.model());
                copy(root, "prompt", out, "prompt");
                JsonNode n = root.get("n_predict");
                if (n != null && !(n.isIntegralNumber() && n.asLong() < 0)) {
                    out.set("max_tokens", n);
                }
                copy(root, "ignore_eos", out, "ignore_eos");
                copy(root, "stream", out, "stream");
                copy(root, "seed", out, "seed");
            }
            case TGI_GENERATE_STREAM, TGI_GENERATE -> {
                out.put("model", config.model());
                copy(root, "inputs", out, "prompt");
                JsonNode parameters = root.path("parameters");
                copy(parameters, "max_new_tokens", out, "max_tokens");
                copy(parameters, "seed", out, "seed");
                out.put("stream", api == SimApi.TGI_GENERATE_STREAM);
            }
            case OLLAMA_GENERATE, OLLAMA_CHAT -> {
                copy(root, "model", out, "model");
                copy(root, api.chat() ? "messages" : "prompt", out, api.chat() ? "messages" : "prompt");
                JsonNode options = root.path("options");
                JsonNode n = options.get("num_predict");
                if (n != null && !(n.isIntegralNumber() && n.asLong() < 0)) {
                    out.set("max_tokens", n);
                }
                copy(options, "seed", out, "seed");
                JsonNode stream = root.get("stream");
                out.put("stream", stream == null || stream.isNull() || stream.asBoolean(true));
            }
            default -> throw new IllegalArgumentException("not a native endpoint: " + api);
        }
        return out;
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }
}
