package dev.llmharness.runtime.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.Api;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.Protocols;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Checks a server before any load: the protocol's model list ({@code GET /v1/models}, Ollama's
 * {@code GET /api/tags}...) must answer 200. A server that is down, rejects the key or does not
 * speak the API gives one message naming the problem and the fix, instead of thousands of failed
 * requests. Resolves the model when none is given: the first one the server lists.
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
        return probe(
                http,
                baseUrl,
                api,
                model,
                apiKey,
                apiKeyEnv,
                simulated,
                ClientDefaults.LOADING_WAIT,
                notice -> System.err.println("llmh: " + notice));
    }

    /**
     * Probes {@code baseUrl} as {@link #probe(OkHttpClient, String, Api, String, String, String,
     * boolean)} does, waiting up to {@code loadingWait} while the server answers 503 (llama.cpp
     * does while it loads the model; vLLM and TGI are not listening yet), and telling {@code notice}
     * once that it waits.
     */
    public static Target probe(
            OkHttpClient http,
            String baseUrl,
            Api api,
            String model,
            String apiKey,
            String apiKeyEnv,
            boolean simulated,
            java.time.Duration loadingWait,
            java.util.function.Consumer<String> notice)
            throws TargetUnavailableException {
        String base = Target.normaliseBaseUrl(baseUrl);
        long deadline = System.nanoTime() + loadingWait.toNanos();
        boolean told = false;
        OkHttpClient client = http.newBuilder()
                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                .build();
        Protocol protocol = Protocols.of(api);
        String models = protocol.modelsPath();
        String get = "GET " + models;
        Request.Builder request = new Request.Builder().url(base + models).get();
        if (apiKey != null && !apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        while (true) {
            try (Response response = client.newCall(request.build()).execute()) {
                int code = response.code();
                if (code == 503 && System.nanoTime() - deadline < 0) {
                    if (!told) {
                        notice.accept(base + " answered 503 to " + get + " ("
                                + response.peekBody(200).string().strip() + "): waiting up to "
                                + loadingWait.toSeconds() + " s for it to be ready");
                        told = true;
                    }
                    Thread.sleep(ClientDefaults.LOADING_POLL_MILLIS);
                    continue;
                }
                if (code == 401 || code == 403) {
                    throw new TargetUnavailableException(base + " answered " + code + " to " + get + ": "
                            + (apiKey == null || apiKey.isEmpty()
                                    ? "it needs an API key; put it in the environment variable " + apiKeyEnv
                                    : "it rejected the API key from " + apiKeyEnv + "; check the key")
                            + " (or choose another variable with --api-key-env / -Dllmh.apiKeyEnv)");
                }
                if (code == 404) {
                    throw new TargetUnavailableException(base + models + " answered 404: give the server's base URL"
                            + " (e.g. http://127.0.0.1:8000, not .../v1/chat/completions) of a server that speaks "
                            + api
                            + " (another engine? see --api)");
                }
                if (!response.isSuccessful()) {
                    throw new TargetUnavailableException(
                            base + " answered " + code + " to " + get + "; the server is not ready: "
                                    + response.peekBody(300).string().strip());
                }
                String server = response.header("Server");
                List<String> served = servedModels(protocol, response.body().string());
                String resolved = model;
                if (resolved == null || resolved.isEmpty()) {
                    if (served == null) {
                        throw new TargetUnavailableException(base + models + " did not answer a model list: does it"
                                + " speak " + api + "? Name the model with --model / -Dllmh.model");
                    }
                    if (served.isEmpty()) {
                        throw new TargetUnavailableException(
                                base + models + " lists no model: name one with --model / -Dllmh.model");
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
                        base + " did not answer " + get + " within " + ClientDefaults.PROBE_TIMEOUT.toSeconds()
                                + " s: is it overloaded or still loading the model?",
                        e);
            } catch (IOException e) {
                throw new TargetUnavailableException("cannot reach " + base + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetUnavailableException("interrupted while waiting for " + base + " to be ready", e);
            }
        }
    }

    /** The model names the list answers, or {@code null} when the body is not such a list. */
    private static List<String> servedModels(Protocol protocol, String body) {
        try {
            return protocol.models(JSON.readTree(body));
        } catch (IOException e) {
            return null;
        }
    }
}
