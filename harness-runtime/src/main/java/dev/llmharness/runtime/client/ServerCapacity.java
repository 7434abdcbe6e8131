package dev.llmharness.runtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.OptionalInt;
import okhttp3.OkHttpClient;

/**
 * How many requests a server says it serves at once, for bounding {@code --preopen auto}: llama.cpp's
 * {@code GET /props} {@code total_slots} (its {@code --parallel}), else TGI's {@code GET /info}
 * {@code max_concurrent_requests}. vLLM, SGLang and Ollama do not say; Ollama's {@code
 * OLLAMA_NUM_PARALLEL} is not on any page. Asked once per target before its first trial; best effort:
 * a server that does not answer, or answers something else, has no stated capacity.
 */
public final class ServerCapacity {
    private ServerCapacity() {}

    /** The server's stated slots, or empty when it states none. */
    public static OptionalInt of(OkHttpClient http, Target target) {
        OkHttpClient client = http.newBuilder()
                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                .build();
        OptionalInt slots = positive(get(client, target, "/props"), "total_slots");
        return slots.isPresent() ? slots : positive(get(client, target, "/info"), "max_concurrent_requests");
    }

    /** {@code body.field} when it is a whole number {@code >= 1}. */
    static OptionalInt positive(JsonNode body, String field) {
        if (body == null || !body.path(field).canConvertToInt()) {
            return OptionalInt.empty();
        }
        int n = body.path(field).asInt();
        return body.path(field).isIntegralNumber() && n >= 1 ? OptionalInt.of(n) : OptionalInt.empty();
    }

    private static JsonNode get(OkHttpClient http, Target target, String path) {
        try {
            return ServerDescription.get(http, target, path);
        } catch (IOException | RuntimeException e) {
            return null; // best effort: no stated capacity
        }
    }
}
