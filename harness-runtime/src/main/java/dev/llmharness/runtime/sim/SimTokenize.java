package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /tokenize} in the three engines' shapes, told apart by the body, counted with the
 * simulator's tokenizer ({@link PromptTokens}) as its generation endpoints count prompts:
 *
 * <ul>
 *   <li>llama.cpp: {@code {"content": text}} answers {@code {"tokens": [ids]}};
 *   <li>vLLM: {@code {"model", "prompt"}} or {@code {"model", "messages"}} answers {@code {"count",
 *       "max_model_len", "tokens", "token_strs": null}}; messages include the chat template's
 *       {@link SimConfig#chatTemplateTokens()} per message (id 1 each);
 *   <li>TGI: {@code {"inputs": text}} answers {@code [{"id", "text", "start", "stop"}, ...]}.
 * </ul>
 *
 * Posing as one engine ({@link SimConfig#engine()}), the server answers only that engine's body,
 * and the others as that engine does: llama.cpp tokenizes a missing {@code content} as nothing
 * ({@code {"tokens": []}}), vLLM refuses a body without {@code prompt} or {@code messages} with 400,
 * TGI one without {@code inputs} with 422.
 */
final class SimTokenize {
    private SimTokenize() {}

    static JsonNode answer(SimContext sim, ByteBuf content) {
        JsonNode root;
        try {
            root = sim.json.readTree(new ByteBufInputStream(content));
        } catch (IOException e) {
            throw ApiError.badRequest(null, "invalid_json", "The request body is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest(null, "invalid_json", "The request body must be a JSON object.");
        }
        SimConfig config = sim.config;
        SimPersona persona = config.engine();
        boolean llamaCppBody = root.path("content").isTextual();
        boolean tgiBody = !llamaCppBody && root.path("inputs").isTextual();
        boolean vllmBody = !llamaCppBody
                && !tgiBody
                && (root.path("prompt").isTextual()
                        || (root.path("messages").isArray()
                                && !root.get("messages").isEmpty()));
        if (persona == SimPersona.LLAMACPP && !llamaCppBody) {
            ObjectNode out = sim.json.createObjectNode();
            out.putArray("tokens");
            return out;
        }
        if (persona == SimPersona.VLLM && !vllmBody) {
            throw ApiError.badRequest(
                    null, "BadRequestError", "1 validation error: the body needs \"prompt\" or \"messages\".");
        }
        if (persona == SimPersona.TGI && !tgiBody) {
            throw new ApiError(
                    422,
                    "validation",
                    null,
                    null,
                    "Failed to deserialize the JSON body into the target type: missing field `inputs`");
        }
        if (llamaCppBody) {
            ObjectNode out = sim.json.createObjectNode();
            ArrayNode tokens = out.putArray("tokens");
            for (int id : PromptTokens.encode(config, root.get("content").textValue())) {
                tokens.add(id);
            }
            return out;
        }
        if (tgiBody) {
            String text = root.get("inputs").textValue();
            int[] ids = PromptTokens.encode(config, text);
            String[] pieces = PromptTokens.pieces(config, text);
            ArrayNode out = sim.json.createArrayNode();
            int start = 0;
            for (int i = 0; i < ids.length; i++) {
                int stop = Math.min(text.length(), start + pieces[i].length());
                ObjectNode t = out.addObject();
                t.put("id", ids[i]);
                t.put("text", pieces[i]);
                t.put("start", start);
                t.put("stop", stop);
                start = stop;
            }
            return out;
        }
        String text;
        int template = 0;
        if (root.path("prompt").isTextual()) {
            text = root.get("prompt").textValue();
        } else if (root.path("messages").isArray() && !root.get("messages").isEmpty()) {
            JsonNode messages = root.get("messages");
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < messages.size(); i++) {
                GenerationRequest.appendMessage(messages.get(i), i, all);
            }
            text = all.toString();
            template = config.chatTemplateTokens() * messages.size();
        } else {
            throw ApiError.badRequest(
                    null,
                    "missing_required_parameter",
                    "POST /tokenize needs {\"content\": text} (llama.cpp), {\"model\", \"prompt\"} or {\"model\","
                            + " \"messages\"} (vLLM), or {\"inputs\": text} (TGI).");
        }
        JsonNode model = root.get("model");
        if (model != null && model.isTextual() && !model.textValue().equals(config.model())) {
            throw new ApiError(
                    404,
                    "invalid_request_error",
                    "model",
                    "model_not_found",
                    "The model `" + model.textValue() + "` does not exist. This server serves `" + config.model()
                            + "`.");
        }
        int[] ids = PromptTokens.encode(config, text);
        ObjectNode out = sim.json.createObjectNode();
        out.put("count", ids.length + template);
        out.put("max_model_len", config.maxModelLen());
        ArrayNode tokens = out.putArray("tokens");
        for (int i = 0; i < template; i++) {
            tokens.add(1);
        }
        for (int id : ids) {
            tokens.add(id);
        }
        out.putNull("token_strs");
        return out;
    }

    static byte[] bytes(JsonNode answer) {
        return answer.toString().getBytes(StandardCharsets.UTF_8);
    }
}
