package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The engines' discovery endpoints, answered for the one simulated model: llama.cpp {@code GET
 * /props}, TGI {@code GET /info}, Ollama {@code GET /api/tags}, {@code /api/version} and {@code
 * /api/ps}. Each names the simulator in its version field ({@code llmh-sim}), so a probe can tell
 * it from a real engine.
 */
final class SimDiscovery {
    static final String VERSION = "llmh-sim";

    private final SimContext sim;

    SimDiscovery(SimContext sim) {
        this.sim = sim;
    }

    /** The answer to {@code GET path}, one of the paths above. */
    ObjectNode answer(String path) {
        ObjectNode root = sim.json.createObjectNode();
        String model = sim.config.model();
        switch (path) {
            case "/props" -> {
                ObjectNode settings = root.putObject("default_generation_settings");
                settings.put("n_ctx", sim.config.maxModelLen());
                settings.putObject("params").put("n_predict", -1);
                root.put("total_slots", sim.config.maxNumSeqs());
                root.put("model_path", "models/" + model + ".gguf");
                root.put("chat_template", "");
                root.put("build_info", VERSION);
            }
            case "/info" -> {
                root.put("model_id", model);
                root.put("max_input_tokens", sim.config.maxModelLen() - 1);
                root.put("max_total_tokens", sim.config.maxModelLen());
                root.put("version", VERSION);
                root.put("router", "text-generation-router");
            }
            case "/api/tags", "/api/ps" -> {
                ObjectNode m = root.putArray("models").addObject();
                m.put("name", model);
                m.put("model", model);
                m.put("modified_at", Instant.ofEpochSecond(sim.created()).toString());
                m.put("size", 0);
                m.putObject("details").put("family", "llmh-sim");
            }
            // Ollama's version; vLLM answers GET /version with the same shape.
            case "/api/version", "/version" -> root.put("version", VERSION);
            default -> throw new IllegalArgumentException("not a discovery path: " + path);
        }
        return root;
    }
}
