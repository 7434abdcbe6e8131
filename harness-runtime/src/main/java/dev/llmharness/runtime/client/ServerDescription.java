package dev.llmharness.runtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What a server says about itself, recorded once per run so that {@code llmh compare} can show what
 * differs between two environments: the {@code Server} header, the served model's {@code
 * /v1/models} entry (the simulator puts its whole option line there), and engine-specific pages
 * such as llama.cpp's {@code /props}. Each source is one {@link Probe}; an engine adds its own
 * probe to {@link #PROBES}. Best effort: a probe that fails adds nothing and never fails the run.
 */
public final class ServerDescription {
    /** One source of self-description. */
    public interface Probe {
        /**
         * Adds {@code key -> value} entries (flat, short values) describing the server.
         *
         * @throws IOException when the server cannot be asked; the entries added so far are kept
         */
        void describe(OkHttpClient http, Target target, Map<String, String> into) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fields that change every start (a model's load time), which would make every run differ. */
    private static final java.util.Set<String> VOLATILE = java.util.Set.of("created");

    /** Longest value kept; longer ones are cut (a description, not a dump). */
    static final int MAX_VALUE_CHARS = 400;

    /** The probes every run asks, in order. */
    public static final List<Probe> PROBES = List.of(ServerDescription::modelsEntry, ServerDescription::llamaCppProps);

    private ServerDescription() {}

    /** The server's self-description: every probe's entries, by key, in probe order. */
    public static Map<String, String> of(OkHttpClient http, Target target) {
        OkHttpClient client = http.newBuilder()
                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                .build();
        Map<String, String> into = new LinkedHashMap<>();
        if (target.serverVersion() != null) {
            into.put("server", target.serverVersion());
        }
        for (Probe p : PROBES) {
            try {
                p.describe(client, target, into);
            } catch (IOException | RuntimeException e) {
                // Best effort: a missing page describes nothing.
            }
        }
        return into;
    }

    /** The {@code /v1/models} entry of the model in use, flattened to {@code models.<field>}. */
    static void modelsEntry(OkHttpClient http, Target target, Map<String, String> into) throws IOException {
        JsonNode body = get(http, target, "/v1/models");
        if (body == null) {
            return;
        }
        for (JsonNode m : body.path("data")) {
            if (target.model().equals(m.path("id").asText())) {
                flatten("models", m, into, 2);
                return;
            }
        }
    }

    /** llama.cpp's {@code /props}: build, context size, slots, model path. */
    static void llamaCppProps(OkHttpClient http, Target target, Map<String, String> into) throws IOException {
        JsonNode body = get(http, target, "/props");
        if (body == null || !body.isObject()) {
            return;
        }
        for (String field : List.of("build_info", "model_path", "total_slots", "chat_template_caps")) {
            if (body.has(field) && body.get(field).isValueNode()) {
                into.put("props." + field, clip(body.get(field).asText()));
            }
        }
        JsonNode settings = body.path("default_generation_settings");
        for (String field : List.of("n_ctx", "model", "speculative")) {
            if (settings.has(field) && settings.get(field).isValueNode()) {
                into.put(
                        "props.default_generation_settings." + field,
                        clip(settings.get(field).asText()));
            }
        }
    }

    /** {@code GET path} as JSON, or {@code null} when not 2xx or not JSON. */
    static JsonNode get(OkHttpClient http, Target target, String path) throws IOException {
        Request.Builder request =
                new Request.Builder().url(target.baseUrl() + path).get();
        if (target.apiKey() != null && !target.apiKey().isEmpty()) {
            request.header("Authorization", "Bearer " + target.apiKey());
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (!response.isSuccessful() || response.body() == null) {
                return null;
            }
            try {
                return JSON.readTree(response.body().string());
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, int depth) {
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            String key = prefix + "." + e.getKey();
            if (VOLATILE.contains(e.getKey())) {
                return;
            }
            if (v.isValueNode()) {
                into.put(key, clip(v.asText()));
            } else if (depth > 1 && v.isObject()) {
                flatten(key, v, into, depth - 1);
            }
        });
    }

    private static String clip(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
