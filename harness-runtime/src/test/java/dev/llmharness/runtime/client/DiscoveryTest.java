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
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
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
        int[] calls = {0};
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getTarget();
                boolean ready = calls[0]++ >= loading;
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
        int[] calls = {0};
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    if (!r.getTarget().equals(path)) {
                        return new MockResponse.Builder().code(404).build();
                    }
                    if (calls[0]++ < 2) {
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
        java.net.ServerSocket free = new java.net.ServerSocket(0);
        int port = free.getLocalPort();
        free.close();
        assertThat(cl.execute("probe", "--url", "http://127.0.0.1:" + port)).isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).startsWith("llmh probe: cannot identify the server at http://127.0.0.1:" + port);
        assertThat(err.toString().lines()).hasSize(1);
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

    /**
     * Health waiting end to end, for every API: the simulator posing as the API's engine answers
     * 503 {@code Loading model} for its first 1.5 s; the readiness probe waits for it with one
     * notice, then reads the model from the API's own list.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Api.class)
    void everyApiWaitsForTheSimulatorWhileItLoads(Api api) throws Exception {
        SimConfig config = SimConfig.preset("zero").toBuilder()
                .engine(personaOf(api))
                .loading(Duration.ofMillis(1_500))
                .build();
        try (SimServer sim = SimServer.start(config)) {
            long start = System.nanoTime();
            List<String> notices = new ArrayList<>();
            Target t = ReadinessProbe.probe(
                    http, sim.baseUrl(), api, "", null, "K", true, Duration.ofSeconds(30), notices::add);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(t.model()).isEqualTo(sim.config().model());
            assertThat(waitedMillis).isGreaterThanOrEqualTo(1_000);
            String path = dev.llmharness.runtime.protocol.Protocols.of(api).modelsPath();
            assertThat(notices)
                    .singleElement()
                    .asString()
                    .contains("answered 503 to GET " + path)
                    .contains("Loading model");
        }
    }

    /** Detection ({@code llmh probe}, {@code --api auto}) waits for a loading server too, with one notice. */
    @Test
    void detectionWaitsForALoadingServerThenNamesIt() throws Exception {
        SimConfig config = SimConfig.preset("zero").toBuilder()
                .engine(SimPersona.LLAMACPP)
                .loading(Duration.ofMillis(1_200))
                .build();
        try (SimServer sim = SimServer.start(config)) {
            assertThatThrownBy(() -> EngineProbe.discover(http, sim.baseUrl(), null))
                    .isInstanceOf(EngineProbe.NotReadyException.class)
                    .hasMessage(sim.baseUrl() + " answered 503 (Loading model) to GET /health: it is not ready (still"
                            + " loading its model?)");
            List<String> notices = new ArrayList<>();
            EngineProbe.Discovery d =
                    EngineProbe.discover(http, sim.baseUrl(), null, Duration.ofSeconds(30), 100, notices::add);
            assertThat(d.engine()).isEqualTo(Engine.LLAMACPP);
            assertThat(notices).singleElement().asString().endsWith("waiting up to 30 s for it to be ready");
        }
        try (SimServer sim = SimServer.start(
                config.toBuilder().loading(Duration.ofMinutes(5)).build())) {
            StringWriter err = new StringWriter();
            picocli.CommandLine cl = Llmh.commandLine(picocli.CommandLine.defaultFactory());
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute("probe", "--url", sim.baseUrl())).isEqualTo(Llmh.USAGE);
            assertThat(err.toString().strip())
                    .isEqualTo(
                            "llmh probe: " + sim.baseUrl() + " answered 503 (Loading model) to GET /health: it is not"
                                    + " ready (still loading its model?); wait for it to load the model, then probe again");
        }
        try (SimServer sim = SimServer.start(
                config.toBuilder().loading(Duration.ofMinutes(5)).build())) {
            assertThatThrownBy(
                            () -> EngineProbe.discover(http, sim.baseUrl(), null, Duration.ofMillis(300), 100, n -> {}))
                    .isInstanceOf(EngineProbe.NotReadyException.class);
        }
    }
}
