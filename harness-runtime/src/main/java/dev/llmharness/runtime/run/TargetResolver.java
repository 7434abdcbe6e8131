package dev.llmharness.runtime.run;

import dev.llmharness.api.Api;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.runtime.client.ClientDefaults;
import dev.llmharness.runtime.client.ReadinessProbe;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.protocol.Engine;
import dev.llmharness.runtime.protocol.EngineProbe;
import dev.llmharness.runtime.settings.Choice;
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
    /**
     * A simulator started for the run.
     *
     * @param baseUrl its base URL
     * @param handle how to stop it (and undo what was done for it, such as a CPU split)
     * @param cpuSplit what {@code run.cpuSplit} records for it ({@link
     *     dev.llmharness.runtime.sim.CpuSplit#recorded()}), or {@code null} when not known
     */
    public record EmbeddedTarget(String baseUrl, AutoCloseable handle, String cpuSplit) {
        /** A simulator whose CPU split is not known. */
        public EmbeddedTarget(String baseUrl, AutoCloseable handle) {
            this(baseUrl, handle, null);
        }
    }

    private final String urlOverride;
    private final String modelOverride;
    private final String apiKeyEnvOverride;
    private final Supplier<EmbeddedTarget> simulator;
    private final Function<String, String> environment;
    private final Map<String, Target> probed = new HashMap<>();
    private final Map<String, Engine> detected = new HashMap<>();
    private EmbeddedTarget embedded;
    private String cpuSplit;
    private boolean external;
    private boolean started;
    private Api apiOverride;
    private boolean autoApi;
    private Boolean streamOverride;
    private java.util.function.Consumer<String> notice = line -> System.err.println("llmh: " + line);

    /**
     * {@code --api} / {@code llmh.api}: {@code auto} or an {@link Api} name (any case, {@code -}
     * for {@code _}), as that label; not set ({@code null}): each trial's {@code @Endpoint(api)}.
     */
    public static final Choice<String> API = apiSetting();

    /** What {@code --api} / {@code llmh.api} accepts, for messages. */
    public static final String API_CHOICES = API.accepted();

    /**
     * {@code --stream} / {@code llmh.stream}: {@code true} or {@code false}; not set ({@code
     * null}): each trial's {@code @Endpoint(stream)}.
     */
    public static final Choice<Boolean> STREAM = Choice.ofBoolean("llmh.stream", "--stream", null);

    private static Choice<String> apiSetting() {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("auto", "auto");
        for (Api a : Api.values()) {
            labels.put(a.name(), a.name());
        }
        Choice<String> setting = Choice.of("llmh.api", "--api", labels, null);
        for (Api a : Api.values()) {
            setting = setting.alias(a.name().replace('_', '-'), a.name());
        }
        return setting;
    }

    /**
     * Replaces every trial's API ({@code --api}, {@code llmh.api}): an {@link Api} name (case and
     * {@code -} or {@code _} do not matter), or {@code auto}: the engine is detected as {@code llmh
     * probe} does and each trial gets the engine's own API for its request shape (native first).
     * {@code null} or blank keeps each trial's {@code @Endpoint(api)}.
     *
     * @throws IllegalArgumentException for any other value
     */
    public TargetResolver withApi(String text) {
        String t = blankToNull(text);
        apiOverride = null;
        autoApi = false;
        if (t == null) {
            return this;
        }
        String chosen = API.parse(t);
        if (chosen.equals("auto")) {
            autoApi = true;
        } else {
            apiOverride = Api.valueOf(chosen);
        }
        return this;
    }

    /**
     * Replaces every trial's {@code @Endpoint(stream)} ({@code --stream}, {@code llmh.stream}):
     * {@code true} or {@code false}; {@code null} or blank keeps each trial's.
     *
     * @throws IllegalArgumentException for any other value
     */
    public TargetResolver withStream(String text) {
        String t = blankToNull(text);
        streamOverride = t == null ? null : STREAM.parse(t);
        return this;
    }

    /** Where the notice of {@code --api auto}'s choice goes (standard error by default). */
    public TargetResolver withNotices(java.util.function.Consumer<String> notices) {
        this.notice = notices;
        return this;
    }

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
                cpuSplit = embedded.cpuSplit();
                started = true;
            }
            url = embedded.baseUrl();
            simulated = true;
        } else {
            external = true;
        }
        String why = dev.llmharness.runtime.settings.ServerUrl.problem(url);
        if (why != null) {
            // The commands check their --url first; this catches a URL that reaches here otherwise.
            throw new TargetUnavailableException("invalid URL " + url + ": " + why);
        }
        String model = modelOverride != null ? modelOverride : endpoint.model();
        String keyEnv = apiKeyEnvOverride != null ? apiKeyEnvOverride : endpoint.apiKeyEnv();
        String key = keyEnv.isEmpty() ? null : environment.apply(keyEnv);
        Api api = api(endpoint.api(), url, key, http);
        String cacheKey = url + "|" + api + "|" + model + "|" + keyEnv;
        Target t = probed.get(cacheKey);
        if (t == null) {
            t = ReadinessProbe.probe(http, url, api, model, key, keyEnv, simulated);
            probed.put(cacheKey, t);
        }
        return t.withStream(streamOverride != null ? streamOverride : endpoint.stream());
    }

    /**
     * The API a trial declared as {@code declared} is sent over: the override when it takes the same
     * request shape, or under {@code auto} the detected engine's first API of that shape.
     */
    private Api api(Api declared, String url, String key, OkHttpClient http) throws TargetUnavailableException {
        if (apiOverride != null) {
            if (apiOverride.takesMessages() != declared.takesMessages()) {
                throw new IllegalArgumentException("--api " + apiOverride + " takes " + shape(apiOverride)
                        + ", but the benchmark returns " + shapeOf(declared) + " (its @Endpoint(api) is " + declared
                        + "): give an API that takes " + shapeOf(declared) + ", one of " + sameShape(declared)
                        + ", or --api auto");
            }
            return apiOverride;
        }
        if (!autoApi) {
            return declared;
        }
        String base = Target.normaliseBaseUrl(url);
        Engine engine = detected.get(base);
        if (engine == null) {
            EngineProbe.Discovery d;
            try {
                d = EngineProbe.discover(
                        http.newBuilder()
                                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                                .build(),
                        base,
                        key,
                        ClientDefaults.LOADING_WAIT,
                        ClientDefaults.LOADING_POLL_MILLIS,
                        notice);
            } catch (java.io.IOException e) {
                throw new TargetUnavailableException("--api auto: cannot identify the server at " + base + " ("
                        + e.getMessage() + "); start it, or name the API with --api (" + API_CHOICES + ")");
            }
            engine = d.engine();
            detected.put(base, engine);
            notice.accept("--api auto: " + base + " is " + engine.displayName()
                    + (d.version() == null ? "" : " " + d.version()) + ", serving " + engine.apis());
        }
        for (Api a : engine.apis()) {
            if (a.takesMessages() == declared.takesMessages()) {
                if (a != declared) {
                    notice.accept("--api auto: trials declared " + declared + " are sent over " + a);
                }
                return a;
            }
        }
        throw new IllegalArgumentException("--api auto: " + engine.displayName() + " serves no API that takes "
                + shapeOf(declared) + " (it serves " + engine.apis() + ")");
    }

    private static String shape(Api api) {
        return api.takesMessages() ? "messages" : "a prompt";
    }

    private static String shapeOf(Api api) {
        return api.takesMessages() ? "a ChatRequest" : "a CompletionRequest";
    }

    private static String sameShape(Api api) {
        return java.util.Arrays.stream(Api.values())
                .filter(a -> a.takesMessages() == api.takesMessages())
                .map(Api::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * What {@code run.cpuSplit} records: the embedded simulator's split when one was started, {@code
     * none} when every target resolved so far was a real server (nothing pinned), {@code null} when
     * nothing was resolved or the simulator's split is not known. Still answers after {@link
     * #close()}.
     */
    public synchronized String cpuSplit() {
        if (cpuSplit != null) {
            return cpuSplit;
        }
        return external && !started ? dev.llmharness.runtime.sim.CpuSplit.NONE : null;
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
