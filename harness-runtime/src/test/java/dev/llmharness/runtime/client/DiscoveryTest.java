package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.protocol.Engine;
import dev.llmharness.runtime.protocol.EngineProbe;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimPersona;
import dev.llmharness.runtime.sim.SimServer;
import dev.llmharness.runtime.tokenize.ServerTokenizer;
import dev.llmharness.runtime.tokenize.ServerTokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Engine discovery and health waiting: the llama.cpp captures ({@code /props}, {@code /health}
 * while loading and when ready, {@code /v1/models}) replayed byte for byte, and the simulator.
 */
class DiscoveryTest {
    private final OkHttpClient http = new OkHttpClient();

    private static String capture(String name) throws IOException {
        try (InputStream in = DiscoveryTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A llama.cpp server as captured: loading (503 on /health and /v1/models) for {@code loading} calls. */
    private static MockWebServer llamaCpp(int loading) throws IOException {
        String props = capture("props.json");
        String health = capture("health.json");
        String healthLoading = capture("health_loading.json");
        String models = capture("models.json");
        AtomicInteger calls = new AtomicInteger();
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getTarget();
                boolean ready = calls.getAndIncrement() >= loading;
                MockResponse.Builder b = new MockResponse.Builder().addHeader("Server", "llama.cpp");
                if (!ready && (path.equals("/health") || path.equals("/v1/models"))) {
                    return b.code(503)
                            .addHeader("Content-Type", "application/json; charset=utf-8")
                            .body(healthLoading)
                            .build();
                }
                return switch (path) {
                    case "/props" -> b.body(props).build();
                    case "/health" -> b.body(health).build();
                    case "/v1/models" -> b.body(models).build();
                    default ->
                        b.code(404)
                                .body("{\"error\":{\"code\":404,\"message\":\"File Not Found\"}}")
                                .build();
                };
            }
        });
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Test
    void llamaCppIsDetectedFromItsPropsWithModelsHealthAndApis() throws Exception {
        try (MockWebServer server = llamaCpp(0)) {
            EngineProbe.Discovery d = EngineProbe.discover(http, "http://127.0.0.1:" + server.getPort(), null);
            assertThat(d.engine()).isEqualTo(Engine.LLAMACPP);
            assertThat(d.models()).containsExactly("tiny");
            assertThat(d.healthy()).isTrue();
            assertThat(d.apis()).startsWith(Api.LLAMACPP_COMPLETION);
        }
    }

    @Test
    void aLoadingServerIsReportedNotReady() throws Exception {
        try (MockWebServer server = llamaCpp(1_000)) {
            EngineProbe.Discovery d = EngineProbe.discover(http, "http://127.0.0.1:" + server.getPort(), null);
            assertThat(d.healthy()).isFalse();
            assertThat(d.health()).isEqualTo("503 Loading model");
        }
    }

    /**
     * Every API's readiness probe waits for a server that answers 503 while it loads, with one
     * notice, then reads the model from that API's own list (the simulator's answer to it).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Api.class)
    void everyApisReadinessProbeWaitsForALoadingServer(Api api) throws Exception {
        String path = dev.llmharness.runtime.protocol.Protocols.of(api).modelsPath();
        String list;
        String model;
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            model = sim.config().model();
            try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder()
                            .url(sim.baseUrl() + path)
                            .build())
                    .execute()) {
                assertThat(r.code()).as(path).isEqualTo(200);
                list = r.body().string();
            }
        }
        AtomicInteger calls = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    if (!r.getTarget().equals(path)) {
                        return new MockResponse.Builder().code(404).build();
                    }
                    if (calls.getAndIncrement() < 2) {
                        return new MockResponse.Builder()
                                .code(503)
                                .body("{\"error\":\"loading\"}")
                                .build();
                    }
                    return new MockResponse.Builder()
                            .addHeader("Content-Type", "application/json")
                            .body(list)
                            .build();
                }
            });
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            List<String> notices = new ArrayList<>();
            Target t = ReadinessProbe.probe(
                    http,
                    "http://127.0.0.1:" + server.getPort(),
                    api,
                    "",
                    null,
                    "K",
                    false,
                    Duration.ofSeconds(30),
                    notices::add);
            assertThat(t.model()).isEqualTo(model);
            assertThat(t.api()).isEqualTo(api);
            assertThat(notices).singleElement().asString().contains("answered 503 to GET " + path);
        }
    }

    @Test
    void theReadinessProbeWaitsForALoadingServerWithOneNotice() throws Exception {
        try (MockWebServer server = llamaCpp(3)) {
            List<String> notices = new ArrayList<>();
            Target t = ReadinessProbe.probe(
                    http,
                    "http://127.0.0.1:" + server.getPort(),
                    Api.LLAMACPP_COMPLETION,
                    "",
                    null,
                    "K",
                    false,
                    Duration.ofSeconds(30),
                    notices::add);
            assertThat(t.model()).isEqualTo("tiny");
            assertThat(notices).hasSize(1);
            assertThat(notices.get(0))
                    .contains("answered 503 to GET /v1/models")
                    .contains("Loading model");
        }
        try (MockWebServer server = llamaCpp(1_000)) {
            assertThatThrownBy(() -> ReadinessProbe.probe(
                            http,
                            "http://127.0.0.1:" + server.getPort(),
                            Api.LLAMACPP_COMPLETION,
                            "",
                            null,
                            "K",
                            false,
                            Duration.ofMillis(1_200),
                            n -> {}))
                    .isInstanceOf(TargetUnavailableException.class)
                    .hasMessageContaining("answered 503 to GET /v1/models; the server is not ready");
        }
    }

    @Test
    void llmhProbeNamesTheEngineVersionModelsHealthAndApis() throws Exception {
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine cl = Llmh.commandLine(picocli.CommandLine.defaultFactory());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute("probe", "--url", sim.baseUrl());
            assertThat(code).as(err.toString()).isEqualTo(Llmh.OK);
            // The simulator answers every engine's discovery; Ollama's comes first.
            assertThat(out.toString())
                    .contains("engine   Ollama")
                    .contains("version  llmh-sim")
                    .contains("models   " + sim.config().model())
                    .contains("health   200 (healthy)")
                    .contains("apis     OLLAMA_GENERATE, OLLAMA_CHAT, OPENAI_CHAT, OPENAI_COMPLETIONS")
                    .contains("tokenize llama.cpp POST /tokenize");
        }
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Llmh.commandLine(picocli.CommandLine.defaultFactory());
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        try (java.net.Socket refusing = LoopbackServer.refusingPort()) {
            int port = refusing.getLocalPort();
            assertThat(cl.execute("probe", "--url", "http://127.0.0.1:" + port)).isEqualTo(Llmh.USAGE);
            assertThat(err.toString()).startsWith("llmh probe: cannot identify the server at http://127.0.0.1:" + port);
            assertThat(err.toString().lines()).hasSize(1);
        }
    }

    /**
     * The simulator posing as each engine serves only that engine's routes: {@code llmh probe}'s
     * detection names the engine, its version, model, health and APIs, and tokenizer discovery
     * finds that engine's {@code /tokenize} (Ollama has none).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "LLAMACPP, LLAMACPP, llama.cpp POST /tokenize",
        "VLLM, OPENAI_COMPATIBLE, vLLM POST /tokenize",
        "TGI, TGI, TGI POST /tokenize",
        "OLLAMA, OLLAMA, ''",
    })
    void eachEngineTheSimulatorPosesAsIsDetectedWithItsTokenizer(SimPersona persona, Engine engine, String tokenize)
            throws Exception {
        try (SimServer sim = SimServer.start(
                SimConfig.preset("zero").toBuilder().engine(persona).build())) {
            EngineProbe.Discovery d = EngineProbe.discover(http, sim.baseUrl(), null);
            assertThat(d.engine()).isEqualTo(engine);
            assertThat(d.version()).isEqualTo("llmh-sim");
            assertThat(d.models()).containsExactly(sim.config().model());
            assertThat(d.healthy()).as(d.health()).isTrue();
            assertThat(d.apis()).isEqualTo(engine.apis());
            ServerTokenizer t =
                    ServerTokenizers.discover(http, sim.baseUrl(), sim.config().model(), null);
            assertThat(t == null ? "" : t.endpoint()).isEqualTo(tokenize);
            // Each API the engine is said to serve answers its readiness probe.
            for (Api api : engine.apis()) {
                assertThat(ReadinessProbe.probe(http, sim.baseUrl(), api, "", null, "K", true)
                                .model())
                        .as(api.name())
                        .isEqualTo(sim.config().model());
            }
        }
    }

    private static SimPersona personaOf(Api api) {
        return switch (api) {
            case OPENAI_CHAT, OPENAI_COMPLETIONS -> SimPersona.VLLM;
            case LLAMACPP_COMPLETION -> SimPersona.LLAMACPP;
            case TGI_GENERATE -> SimPersona.TGI;
            case OLLAMA_GENERATE, OLLAMA_CHAT -> SimPersona.OLLAMA;
        };
    }

    /** A simulator posing as {@code persona}: 503 {@code Loading model} for {@code loading} from its start. */
    private static SimServer simulator(SimPersona persona, Duration loading) {
        return SimServer.start(SimConfig.preset("zero").toBuilder()
                .engine(persona)
                .loading(loading)
                .build());
    }

    /** Longer than any test runs: a simulator loading this long answers 503 to all of a test's requests. */
    private static final Duration LOADING_THROUGHOUT = Duration.ofMinutes(5);

    /**
     * A server on 127.0.0.1 that forwards each request to the base URL {@code upstream} holds when
     * the request comes, and answers with that server's status, headers and body, noting each
     * answer in {@code answers} as {@code <status> from <base URL>}. A test points it from a
     * simulator that is loading to one that is ready when the client has seen the loading answer
     * (its notice), instead of racing a simulator's loading time against how soon a loaded machine
     * sends the first request.
     */
    private MockWebServer front(AtomicReference<String> upstream, List<String> answers) throws IOException {
        MockWebServer front = new MockWebServer();
        front.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String to = upstream.get();
                okhttp3.Request.Builder forwarded = new okhttp3.Request.Builder().url(to + r.getTarget());
                if (!r.getMethod().equals("GET")) {
                    okhttp3.MediaType type = okhttp3.MediaType.parse(
                            String.valueOf(r.getHeaders().get("Content-Type")));
                    forwarded.method(
                            r.getMethod(),
                            okhttp3.RequestBody.create(
                                    r.getBody() == null
                                            ? new byte[0]
                                            : r.getBody().toByteArray(),
                                    type));
                }
                try (okhttp3.Response answer = http.newCall(forwarded.build()).execute()) {
                    answers.add(answer.code() + " from " + to);
                    // The framing is the front's own: the upstream's length and connection headers go.
                    Headers headers = answer.headers()
                            .newBuilder()
                            .removeAll("Content-Length")
                            .removeAll("Transfer-Encoding")
                            .removeAll("Connection")
                            .build();
                    return new MockResponse.Builder()
                            .code(answer.code())
                            .headers(headers)
                            .body(new Buffer().write(answer.body().bytes()))
                            .build();
                } catch (IOException e) {
                    return new MockResponse.Builder()
                            .code(502)
                            .body(e.toString())
                            .build();
                }
            }
        });
        front.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return front;
    }

    /**
     * Health waiting end to end, for every API: the simulator posing as the API's engine answers
     * 503 {@code Loading model} while it loads; the readiness probe waits for it with one notice,
     * then reads the model from the API's own list. The probe talks to a {@link #front} that turns
     * from a loading simulator to a ready one when the probe gives its notice, so that its first
     * request meets a loading server and a later one a ready server, however slowly each is sent.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Api.class)
    void everyApiWaitsForTheSimulatorWhileItLoads(Api api) throws Exception {
        String path = dev.llmharness.runtime.protocol.Protocols.of(api).modelsPath();
        try (SimServer loading = simulator(personaOf(api), LOADING_THROUGHOUT);
                SimServer ready = simulator(personaOf(api), Duration.ZERO)) {
            AtomicReference<String> upstream = new AtomicReference<>(loading.baseUrl());
            List<String> answers = new CopyOnWriteArrayList<>();
            try (MockWebServer server = front(upstream, answers)) {
                List<String> notices = new ArrayList<>();
                Target t = ReadinessProbe.probe(
                        http,
                        "http://127.0.0.1:" + server.getPort(),
                        api,
                        "",
                        null,
                        "K",
                        true,
                        Duration.ofSeconds(30),
                        notice -> {
                            notices.add(notice);
                            upstream.set(ready.baseUrl());
                        });
                assertThat(t.model()).isEqualTo(ready.config().model());
                assertThat(notices)
                        .singleElement()
                        .asString()
                        .contains("answered 503 to GET " + path)
                        .contains("Loading model");
                assertThat(answers)
                        .as("the loading simulator's answer, then the ready one's")
                        .containsExactly("503 from " + loading.baseUrl(), "200 from " + ready.baseUrl());
            }
        }
    }

    /**
     * The simulator's own loading time: 503 {@code Loading model} to every request until it has
     * passed since the start, then answers. Polled until it answers (a generous deadline, not a
     * guess of the machine's speed); the start's clock is read inside {@code start}, so the first
     * answer comes no sooner than the loading time after the instant taken before it.
     */
    @Test
    void theSimulatorAnswers503UntilItsLoadingTimeHasPassed() throws Exception {
        Duration loadingTime = Duration.ofMillis(500);
        long before = System.nanoTime();
        try (SimServer sim = simulator(SimPersona.LLAMACPP, loadingTime)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int loadingAnswers = 0;
            while (true) {
                try (okhttp3.Response r = http.newCall(new okhttp3.Request.Builder()
                                .url(sim.baseUrl() + "/v1/models")
                                .build())
                        .execute()) {
                    if (r.code() == 200) {
                        break;
                    }
                    assertThat(r.code()).isEqualTo(503);
                    assertThat(r.body().string()).contains("Loading model");
                    loadingAnswers++;
                }
                assertThat(System.nanoTime() - deadline)
                        .as("still loading 30 s after its start")
                        .isNegative();
                Thread.sleep(20);
            }
            long answered = System.nanoTime();
            assertThat(answered - before)
                    .as("first answer after %d loading answers", loadingAnswers)
                    .isGreaterThanOrEqualTo(loadingTime.toNanos());
        }
        try (SimServer sim = simulator(SimPersona.LLAMACPP, LOADING_THROUGHOUT);
                okhttp3.Response r = http.newCall(new okhttp3.Request.Builder()
                                .url(sim.baseUrl() + "/v1/models")
                                .build())
                        .execute()) {
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.body().string()).contains("Loading model");
        }
    }

    /**
     * Detection ({@code llmh probe}, {@code --api auto}) waits for a loading server too, with one
     * notice; without a wait, or when the server still loads after it, it says the server is not
     * ready. The wait is tested through a {@link #front} as in {@link
     * #everyApiWaitsForTheSimulatorWhileItLoads}; the rest against a simulator that loads
     * throughout.
     */
    @Test
    void detectionWaitsForALoadingServerThenNamesIt() throws Exception {
        try (SimServer loading = simulator(SimPersona.LLAMACPP, LOADING_THROUGHOUT);
                SimServer ready = simulator(SimPersona.LLAMACPP, Duration.ZERO)) {
            AtomicReference<String> upstream = new AtomicReference<>(loading.baseUrl());
            List<String> answers = new CopyOnWriteArrayList<>();
            try (MockWebServer server = front(upstream, answers)) {
                String base = "http://127.0.0.1:" + server.getPort();
                List<String> notices = new ArrayList<>();
                EngineProbe.Discovery d =
                        EngineProbe.discover(http, base, null, Duration.ofSeconds(30), 100, notice -> {
                            notices.add(notice);
                            upstream.set(ready.baseUrl());
                        });
                assertThat(d.engine()).isEqualTo(Engine.LLAMACPP);
                assertThat(notices)
                        .singleElement()
                        .asString()
                        .isEqualTo(base + " answered 503 (Loading model) to GET /health: it is not ready (still"
                                + " loading its model?); waiting up to 30 s for it to be ready");
                // Detection asks several paths; the llama.cpp simulator answers 404 to other engines'.
                List<String> first = answers.stream()
                        .takeWhile(a -> a.endsWith(" from " + loading.baseUrl()))
                        .toList();
                assertThat(first)
                        .as("first the loading simulator's answers")
                        .contains("503 from " + loading.baseUrl())
                        .doesNotContain("200 from " + loading.baseUrl());
                assertThat(answers.subList(first.size(), answers.size()))
                        .as("then only the ready one's")
                        .allMatch(a -> a.endsWith(" from " + ready.baseUrl()))
                        .contains("200 from " + ready.baseUrl());
            }
        }
        try (SimServer sim = simulator(SimPersona.LLAMACPP, LOADING_THROUGHOUT)) {
            assertThatThrownBy(() -> EngineProbe.discover(http, sim.baseUrl(), null))
                    .isInstanceOf(EngineProbe.NotReadyException.class)
                    .hasMessage(sim.baseUrl() + " answered 503 (Loading model) to GET /health: it is not ready (still"
                            + " loading its model?)");
            StringWriter err = new StringWriter();
            picocli.CommandLine cl = Llmh.commandLine(picocli.CommandLine.defaultFactory());
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute("probe", "--url", sim.baseUrl())).isEqualTo(Llmh.USAGE);
            assertThat(err.toString().strip())
                    .isEqualTo(
                            "llmh probe: " + sim.baseUrl() + " answered 503 (Loading model) to GET /health: it is not"
                                    + " ready (still loading its model?); wait for it to load the model, then probe again");
            assertThatThrownBy(
                            () -> EngineProbe.discover(http, sim.baseUrl(), null, Duration.ofMillis(300), 100, n -> {}))
                    .isInstanceOf(EngineProbe.NotReadyException.class);
        }
    }
}
