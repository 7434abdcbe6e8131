package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.Api;
import java.io.IOException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Finds out which engine answers at a base URL, from each engine's own discovery endpoint (Ollama
 * {@code GET /api/version}, TGI {@code GET /info}, llama.cpp {@code GET /props}, else {@code GET
 * /v1/models}), and what it says about itself: version, models, health ({@code GET /health};
 * llama.cpp answers 503 while it loads the model) and the APIs it serves.
 */
public final class EngineProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a server said about itself.
     *
     * @param engine the engine detected
     * @param version its version as it reports it, or {@code null}
     * @param models the models it lists, in its order (empty when it lists none)
     * @param healthy whether its health endpoint (or, without one, its model list) answered 200
     * @param health what the health check answered, e.g. {@code "200"} or {@code "503 Loading model"}
     * @param apis the APIs the harness can speak to it
     */
    public record Discovery(
            Engine engine, String version, List<String> models, boolean healthy, String health, List<Api> apis) {}

    private EngineProbe() {}

    /**
     * Probes {@code baseUrl}.
     *
     * @throws IOException when no engine answers (connection refused, or no discovery path answered
     *     with JSON)
     */
    public static Discovery discover(OkHttpClient http, String baseUrl, String apiKey) throws IOException {
        for (Engine engine : new Engine[] {Engine.OLLAMA, Engine.TGI, Engine.LLAMACPP, Engine.OPENAI_COMPATIBLE}) {
            JsonNode signature = getJson(http, baseUrl + engine.signaturePath(), apiKey);
            if (signature == null || !matches(engine, signature)) {
                continue;
            }
            Protocol native0 = Protocols.of(engine.apis().get(0));
            JsonNode list = engine == Engine.OPENAI_COMPATIBLE
                    ? signature
                    : getJson(http, baseUrl + native0.modelsPath(), apiKey);
            List<String> models = list == null ? null : native0.models(list);
            String[] health = health(http, baseUrl, apiKey, engine);
            return new Discovery(
                    engine,
                    version(http, baseUrl, apiKey, engine, signature),
                    models == null ? List.of() : models,
                    health[0].startsWith("200"),
                    health[0] + (health[1].isEmpty() ? "" : " " + health[1]),
                    engine.apis());
        }
        // A server loading its model answers 503 to every request (llama.cpp), discovery's too.
        String[] health = health(http, baseUrl, apiKey, Engine.LLAMACPP);
        if (health[0].equals("503")) {
            throw new NotReadyException(baseUrl + " answered 503" + (health[1].isEmpty() ? "" : " (" + health[1] + ")")
                    + " to GET /health: it is not ready (still loading its model?)");
        }
        throw new IOException(baseUrl + " answered none of GET /api/version (Ollama), /info (TGI), /props"
                + " (llama.cpp) or /v1/models (OpenAI-compatible) with JSON");
    }

    /** No engine could be told because the server answers 503 while it loads. */
    public static final class NotReadyException extends IOException {
        private static final long serialVersionUID = 1L;

        NotReadyException(String message) {
            super(message);
        }
    }

    /**
     * Probes {@code baseUrl} as {@link #discover(OkHttpClient, String, String)} does, waiting up
     * to {@code wait} while the server answers 503 to every request (llama.cpp while it loads its
     * model), polling every {@code pollMillis} ms and telling {@code notice} once that it waits.
     *
     * @throws IOException as {@link #discover(OkHttpClient, String, String)}, or a {@link
     *     NotReadyException} when the server still loads after {@code wait}
     */
    public static Discovery discover(
            OkHttpClient http,
            String baseUrl,
            String apiKey,
            java.time.Duration wait,
            long pollMillis,
            java.util.function.Consumer<String> notice)
            throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            try {
                return discover(http, baseUrl, apiKey);
            } catch (NotReadyException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (!told) {
                    notice.accept(e.getMessage() + "; waiting up to " + wait.toSeconds() + " s for it to be ready");
                    told = true;
                }
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for " + baseUrl);
                }
            }
        }
    }

    private static boolean matches(Engine engine, JsonNode body) {
        return switch (engine) {
            case OLLAMA -> body.hasNonNull("version");
            case TGI -> body.hasNonNull("model_id");
            case LLAMACPP -> body.has("default_generation_settings");
            case OPENAI_COMPATIBLE -> body.path("data").isArray();
        };
    }

    private static String version(OkHttpClient http, String base, String key, Engine engine, JsonNode signature)
            throws IOException {
        return switch (engine) {
            case OLLAMA, TGI -> text(signature.get("version"));
            case LLAMACPP -> text(signature.get("build_info"));
            // vLLM answers GET /version; other servers may not.
            case OPENAI_COMPATIBLE -> {
                JsonNode v = getJson(http, base + "/version", key);
                yield v == null ? null : text(v.get("version"));
            }
        };
    }

    /** {@code [status, detail]} of the engine's health check. */
    private static String[] health(OkHttpClient http, String base, String key, Engine engine) throws IOException {
        String path = engine == Engine.OLLAMA ? "/api/version" : "/health";
        try (Response r = http.newCall(get(base + path, key)).execute()) {
            String detail = "";
            if (!r.isSuccessful()) {
                String body = r.peekBody(300).string();
                try {
                    JsonNode error = JSON.readTree(body).path("error");
                    detail = error.isTextual()
                            ? error.asText()
                            : error.path("message").asText("");
                } catch (IOException e) {
                    detail = body.strip();
                }
            }
            return new String[] {Integer.toString(r.code()), detail};
        }
    }

    private static JsonNode getJson(OkHttpClient http, String url, String key) throws IOException {
        try (Response r = http.newCall(get(url, key)).execute()) {
            if (!r.isSuccessful()) {
                return null;
            }
            try {
                JsonNode node = JSON.readTree(r.body().string());
                return node != null && node.isObject() ? node : null;
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static Request get(String url, String key) {
        Request.Builder b = new Request.Builder().url(url).get();
        if (key != null && !key.isEmpty()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
