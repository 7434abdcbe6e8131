package dev.llmharness.runtime.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The three {@code POST /tokenize} APIs, and their discovery. All three engines use the same path
 * with different bodies and answers:
 *
 * <ul>
 *   <li>llama.cpp ({@code llama-server}, 2025): {@code {"content": text, "add_special": true}}
 *       answers {@code {"tokens": [ids]}} (or {@code [{"id", "piece"}]} with {@code with_pieces});
 *   <li>vLLM (0.6 and later): {@code {"model", "prompt"}} or {@code {"model", "messages",
 *       "add_generation_prompt": true}} answers {@code {"count", "max_model_len", "tokens",
 *       "token_strs"}};
 *   <li>TGI (2.x): {@code {"inputs": text}} answers {@code [{"id", "text", "start", "stop"}]}.
 * </ul>
 *
 * {@link #discover} sends each body in that order and keeps the first API whose answer has its
 * shape: a llama.cpp server answers a vLLM body with an empty token list, the others refuse
 * bodies not theirs, so the shape, not the status alone, tells them apart.
 */
public final class ServerTokenizers {
    /** The path all three engines serve. */
    public static final String PATH = "/tokenize";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final String PROBE_TEXT = "Hello world, this is a test.";

    private ServerTokenizers() {}

    /**
     * The server's tokenizer at {@code baseUrl}, or {@code null} when none of the three APIs
     * answers (no {@code /tokenize}, e.g. Ollama or a hosted OpenAI API).
     *
     * @param model the model name (vLLM's body names it)
     * @param apiKey bearer token, or {@code null}
     * @throws IOException when the server cannot be reached at all
     */
    public static ServerTokenizer discover(OkHttpClient http, String baseUrl, String model, String apiKey)
            throws IOException {
        for (Base candidate : List.of(
                new LlamaCpp(http, baseUrl, apiKey),
                new Vllm(http, baseUrl, model, apiKey),
                new Tgi(http, baseUrl, apiKey))) {
            try {
                if (candidate.count(PROBE_TEXT) > 0) {
                    return candidate;
                }
            } catch (ShapeException e) {
                // not this API: try the next body
            }
        }
        return null;
    }

    /** llama.cpp's {@code POST /tokenize} at {@code baseUrl}. */
    public static ServerTokenizer llamaCpp(OkHttpClient http, String baseUrl, String apiKey) {
        return new LlamaCpp(http, baseUrl, apiKey);
    }

    /** vLLM's {@code POST /tokenize} at {@code baseUrl}, for {@code model}. */
    public static ServerTokenizer vllm(OkHttpClient http, String baseUrl, String model, String apiKey) {
        return new Vllm(http, baseUrl, model, apiKey);
    }

    /** TGI's {@code POST /tokenize} at {@code baseUrl}. */
    public static ServerTokenizer tgi(OkHttpClient http, String baseUrl, String apiKey) {
        return new Tgi(http, baseUrl, apiKey);
    }

    /** llama.cpp's answer: the length of {@code tokens} (ids, or id/piece objects). */
    static int llamaCppCount(JsonNode body) throws ShapeException {
        JsonNode tokens = body.path("tokens");
        if (!body.isObject() || !tokens.isArray() || body.has("count")) {
            throw new ShapeException("not llama.cpp's {\"tokens\": [...]}");
        }
        return tokens.size();
    }

    /** vLLM's answer: {@code count}, which equals the length of {@code tokens}. */
    static int vllmCount(JsonNode body) throws ShapeException {
        if (!body.isObject()
                || !body.path("count").isInt()
                || !body.path("tokens").isArray()) {
            throw new ShapeException("not vLLM's {\"count\", \"tokens\", ...}");
        }
        return body.get("count").intValue();
    }

    /** TGI's answer: one {@code {"id", "text", "start", "stop"}} object per token. */
    static int tgiCount(JsonNode body) throws ShapeException {
        if (!body.isArray() || (!body.isEmpty() && !body.get(0).has("id"))) {
            throw new ShapeException("not TGI's [{\"id\", \"text\", ...}]");
        }
        return body.size();
    }

    /** An answer that is not the API's shape (or an error status): the server speaks another. */
    static final class ShapeException extends IOException {
        private static final long serialVersionUID = 1L;

        ShapeException(String message) {
            super(message);
        }
    }

    private abstract static class Base implements ServerTokenizer {
        private final OkHttpClient http;
        private final String url;
        private final String apiKey;

        Base(OkHttpClient http, String baseUrl, String apiKey) {
            this.http = http;
            this.url = baseUrl + PATH;
            this.apiKey = apiKey;
        }

        JsonNode post(ObjectNode body) throws IOException {
            Request.Builder b =
                    new Request.Builder().url(url).post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE));
            if (apiKey != null && !apiKey.isEmpty()) {
                b.header("Authorization", "Bearer " + apiKey);
            }
            try (Response r = http.newCall(b.build()).execute()) {
                MediaType type = r.body() == null ? null : r.body().contentType();
                if (r.isSuccessful() && (type == null || !type.subtype().contains("json"))) {
                    // Not a tokenizer (for example a server that streams whatever it is sent): do not read on.
                    throw new ShapeException(endpoint() + " answered " + r.code() + " with " + type + ", not JSON");
                }
                String text = r.body() == null ? "" : r.body().string();
                if (!r.isSuccessful()) {
                    throw new ShapeException(endpoint() + " answered " + r.code() + ": "
                            + text.substring(0, Math.min(200, text.length())).strip());
                }
                try {
                    return JSON.readTree(text);
                } catch (IOException e) {
                    throw new ShapeException(endpoint() + " answered with a body that is not JSON");
                }
            }
        }

        @Override
        public boolean countsChat() {
            return false;
        }

        @Override
        public int countChat(String text) throws IOException {
            throw new UnsupportedOperationException(endpoint() + " does not tokenize chat messages");
        }

        @Override
        public String toString() {
            return endpoint();
        }
    }

    private static final class LlamaCpp extends Base {
        LlamaCpp(OkHttpClient http, String baseUrl, String apiKey) {
            super(http, baseUrl, apiKey);
        }

        @Override
        public String endpoint() {
            return "llama.cpp POST " + PATH;
        }

        @Override
        public int count(String text) throws IOException {
            ObjectNode body = JSON.createObjectNode().put("content", text).put("add_special", true);
            return llamaCppCount(post(body));
        }
    }

    private static final class Vllm extends Base {
        private final String model;

        Vllm(OkHttpClient http, String baseUrl, String model, String apiKey) {
            super(http, baseUrl, apiKey);
            this.model = model;
        }

        @Override
        public String endpoint() {
            return "vLLM POST " + PATH;
        }

        @Override
        public int count(String text) throws IOException {
            return vllmCount(post(JSON.createObjectNode().put("model", model).put("prompt", text)));
        }

        @Override
        public boolean countsChat() {
            return true;
        }

        @Override
        public int countChat(String text) throws IOException {
            ObjectNode body = JSON.createObjectNode().put("model", model);
            body.putArray("messages").addObject().put("role", "user").put("content", text);
            body.put("add_generation_prompt", true);
            return vllmCount(post(body));
        }
    }

    private static final class Tgi extends Base {
        Tgi(OkHttpClient http, String baseUrl, String apiKey) {
            super(http, baseUrl, apiKey);
        }

        @Override
        public String endpoint() {
            return "TGI POST " + PATH;
        }

        @Override
        public int count(String text) throws IOException {
            return tgiCount(post(JSON.createObjectNode().put("inputs", text)));
        }
    }
}
