package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.runtime.client.ReadinessProbe;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TargetUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * Turns a trial's endpoint plus run-time overrides into a probed {@link Target}. The URL comes
 * from the override, else the annotation, else the embedded simulator; the model from the
 * override, else the annotation, else the server's first; the API key from the environment
 * variable the override or the annotation names. Each distinct target is probed once per run.
 */
public final class TargetResolver implements AutoCloseable {
    /** A simulator started for the run: its base URL, and how to stop it. */
    public record EmbeddedTarget(String baseUrl, AutoCloseable handle) {}

    private final String urlOverride;
    private final String modelOverride;
    private final String apiKeyEnvOverride;
    private final Supplier<EmbeddedTarget> simulator;
    private final Function<String, String> environment;
    private final Map<String, Target> probed = new HashMap<>();
    private EmbeddedTarget embedded;

    /**
     * @param urlOverride base URL from the command line or {@code llmh.url}, or {@code null}
     * @param modelOverride model from {@code llmh.model}, or {@code null}
     * @param apiKeyEnvOverride variable from {@code llmh.apiKeyEnv}, or {@code null}
     * @param simulator starts the embedded simulator when no URL is given anywhere, or {@code null}
     *     when this build has none
     * @param environment reads environment variables ({@code System::getenv})
     */
    public TargetResolver(
            String urlOverride,
            String modelOverride,
            String apiKeyEnvOverride,
            Supplier<EmbeddedTarget> simulator,
            Function<String, String> environment) {
        this.urlOverride = blankToNull(urlOverride);
        this.modelOverride = blankToNull(modelOverride);
        this.apiKeyEnvOverride = blankToNull(apiKeyEnvOverride);
        this.simulator = simulator;
        this.environment = environment;
    }

    /**
     * The probed target of a trial's endpoint.
     *
     * @throws TargetUnavailableException when there is no URL and no simulator, or the probe fails
     */
    public synchronized Target resolve(EndpointSpec endpoint, OkHttpClient http) throws TargetUnavailableException {
        String url = urlOverride != null ? urlOverride : blankToNull(endpoint.url());
        boolean simulated = false;
        if (url == null) {
            if (simulator == null) {
                throw new TargetUnavailableException("no server URL: give one with --url or -Dllmh.url (e.g."
                        + " http://127.0.0.1:8000); the embedded simulator is not available in this build");
            }
            if (embedded == null) {
                embedded = simulator.get();
            }
            url = embedded.baseUrl();
            simulated = true;
        }
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new TargetUnavailableException(
                    "the URL must start with http:// or https://, got \"" + url + "\"; e.g. http://127.0.0.1:8000");
        }
        String model = modelOverride != null ? modelOverride : endpoint.model();
        String keyEnv = apiKeyEnvOverride != null ? apiKeyEnvOverride : endpoint.apiKeyEnv();
        String key = keyEnv.isEmpty() ? null : environment.apply(keyEnv);
        String cacheKey = url + "|" + endpoint.api() + "|" + model + "|" + keyEnv;
        Target t = probed.get(cacheKey);
        if (t == null) {
            t = ReadinessProbe.probe(http, url, endpoint.api(), model, key, keyEnv, simulated);
            probed.put(cacheKey, t);
        }
        return t;
    }

    /** Stops the embedded simulator if one was started. */
    @Override
    public synchronized void close() {
        if (embedded != null) {
            try {
                embedded.handle().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("cannot stop the embedded simulator: " + e, e);
            } finally {
                embedded = null;
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
