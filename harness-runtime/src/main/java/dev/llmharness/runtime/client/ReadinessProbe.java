package dev.llmharness.runtime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.Api;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Checks a server before any load: {@code GET /v1/models} must answer 200. A server that is down,
 * rejects the key or is not OpenAI-compatible gives one message naming the problem and the fix,
 * instead of thousands of failed requests. Resolves the model when none is given: the first one
 * the server lists.
 */
public final class ReadinessProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadinessProbe() {}

    /**
     * Probes {@code baseUrl} and returns the resolved target.
     *
     * @param model the model to use, or empty to take the server's first
     * @param apiKey bearer token or {@code null}
     * @param apiKeyEnv the environment variable the key came from (named in messages)
     * @throws TargetUnavailableException naming the problem and the fix
     */
    public static Target probe(
            OkHttpClient http,
            String baseUrl,
            Api api,
            String model,
            String apiKey,
            String apiKeyEnv,
            boolean simulated)
            throws TargetUnavailableException {
        String base = Target.normaliseBaseUrl(baseUrl);
        OkHttpClient client = http.newBuilder()
                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                .build();
        Request.Builder request = new Request.Builder().url(base + "/v1/models").get();
        if (apiKey != null && !apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try (Response response = client.newCall(request.build()).execute()) {
            int code = response.code();
            if (code == 401 || code == 403) {
                throw new TargetUnavailableException(base + " answered " + code + " to GET /v1/models: "
                        + (apiKey == null || apiKey.isEmpty()
                                ? "it needs an API key; put it in the environment variable " + apiKeyEnv
                                : "it rejected the API key from " + apiKeyEnv + "; check the key")
                        + " (or choose another variable with --api-key-env / -Dllmh.apiKeyEnv)");
            }
            if (code == 404) {
                throw new TargetUnavailableException(base + "/v1/models answered 404: give the server's base URL"
                        + " (e.g. http://127.0.0.1:8000, not .../v1/chat/completions) of an OpenAI-compatible server");
            }
            if (!response.isSuccessful()) {
                throw new TargetUnavailableException(
                        base + " answered " + code + " to GET /v1/models; the server is not ready: "
                                + response.peekBody(300).string().strip());
            }
            String server = response.header("Server");
            List<String> served = servedModels(response.body().string());
            String resolved = model;
            if (resolved == null || resolved.isEmpty()) {
                if (served == null) {
                    throw new TargetUnavailableException(base + "/v1/models did not answer a model list: is it an"
                            + " OpenAI-compatible server? Name the model with --model / -Dllmh.model");
                }
                if (served.isEmpty()) {
                    throw new TargetUnavailableException(
                            base + "/v1/models lists no model: name one with --model / -Dllmh.model");
                }
                resolved = served.get(0);
            } else if (served != null && !served.isEmpty() && !served.contains(resolved)) {
                // Every request would fail with 404; say so once instead.
                throw new TargetUnavailableException(base + " does not serve model \"" + resolved + "\"; it serves "
                        + String.join(", ", served) + ": name one of them with --model / -Dllmh.model");
            }
            return new Target(base, api, resolved, apiKey, server, simulated);
        } catch (ConnectException | UnknownHostException e) {
            throw new TargetUnavailableException(
                    "cannot connect to " + base + " (" + e.getMessage() + "): start the server, or point"
                            + " --url / -Dllmh.url at a running one",
                    e);
        } catch (SocketTimeoutException e) {
            throw new TargetUnavailableException(
                    base + " did not answer GET /v1/models within " + ClientDefaults.PROBE_TIMEOUT.toSeconds()
                            + " s: is it overloaded or still loading the model?",
                    e);
        } catch (IOException e) {
            throw new TargetUnavailableException("cannot reach " + base + ": " + e, e);
        }
    }

    /** The model ids {@code /v1/models} lists, or {@code null} when the body is not such a list. */
    private static List<String> servedModels(String body) {
        JsonNode data;
        try {
            data = JSON.readTree(body).path("data");
        } catch (IOException e) {
            return null;
        }
        if (!data.isArray()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode m : data) {
            if (m.hasNonNull("id")) {
                ids.add(m.get("id").asText());
            }
        }
        return ids;
    }
}
