package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.ServerTimings;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.Protocols;
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every native protocol end to end against the simulator on loopback: a run, the server's counts
 * and self-reported timings against the simulator's ground truth, forced and unforced lengths,
 * discovery, and a malformed stream; then the llama.cpp captures byte for byte.
 */
@ParameterizedClass
@EnumSource(TransportKind.class)
class NativeProtocolsTest {
    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30));
    private static final SharedTransport TRANSPORTS = new SharedTransport(4, TIMEOUTS);
    private static SimServer sim;
    private static OkHttpClient http;
    private static ClientTransport transport;

    @BeforeAll
    static void start() {
        // Fixed per-token latency so that the server's prompt and decode times are not zero.
        sim = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .fixedTtft(Duration.ofMillis(15))
                .fixedItl(Duration.ofMillis(3))
                .build());
        http = HttpClients.forLoad(4, TIMEOUTS);
    }

    /** Every test runs on both transports. */
    @Parameter
    TransportKind kind;

    @BeforeEach
    void useTransport() {
        transport = TRANSPORTS.of(kind);
    }

    @AfterAll
    static void stop() {
        TRANSPORTS.close();
        HttpClients.close(http);
        sim.close();
    }

    private static LlmRequest request(Api api, int tokens, boolean exact) {
        return request(api, tokens, exact, "a lighthouse");
    }

    private static LlmRequest request(Api api, int tokens, boolean exact, String topic) {
        if (api.takesMessages()) {
            return ChatRequest.of("Tell me a story about " + topic, tokens).exactOutput(exact);
        }
        return CompletionRequest.of(new Prompt(0, "Once upon a time there was " + topic, 8, tokens, exact, null));
    }

    private static RequestTiming send(Api api, LlmRequest request, String fault, long id) {
        LlmClient client = new LlmClient(
                transport,
                new Target(sim.baseUrl(), api, sim.config().model(), null, null, true),
                TokenCounter.contentEvents(),
                TIMEOUTS);
        PreparedRequest prepared = TransportUnderTest.withFault(client.prepare(request, id), fault);
        RequestTiming t = new RequestTiming(id, System.nanoTime(), true);
        client.send(prepared, t);
        return t;
    }

    private static GroundTruth truth(long id) {
        return sim.groundTruth(false).stream()
                .filter(g -> Long.toString(id).equals(g.requestId()))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"LLAMACPP_COMPLETION", "TGI_GENERATE", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void aRunReadsEveryTokenAndTheServersOwnCounts(Api api) {
        long id = 100 + api.ordinal();
        RequestTiming t = send(api, request(api, 12, true), null, id);
        GroundTruth g = truth(id);
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.unterminated()).isFalse();
        assertThat(t.contentEvents()).isEqualTo(g.outputTokens());
        assertThat(t.outputTokens()).isEqualTo(g.outputTokens());
        assertThat(t.tokenSource()).isEqualTo("usage");
        assertThat(t.inputTokens()).isEqualTo(g.promptTokens());
        assertThat(g.endpoint()).isNotIn("chat", "completions");
    }

    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"LLAMACPP_COMPLETION", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void theServersReportedTimingsMatchTheSimulatorsTruth(Api api) {
        long id = 200 + api.ordinal();
        RequestTiming t = send(api, request(api, 10, true), null, id);
        GroundTruth g = truth(id);
        ServerTimings s = t.serverTimings();
        assertThat(s).as("server timings of " + api).isNotNull();
        long truthDecode = g.tokenNanos().get(g.tokenNanos().size() - 1) - g.firstTokenNanos();
        long truthPrompt = g.firstTokenNanos() - g.receivedNanos();
        // llama.cpp reports fractional milliseconds: allow the rounding of a double, 1 µs.
        assertThat(s.decodeNanos()).isCloseTo(truthDecode, org.assertj.core.data.Offset.offset(1_000L));
        assertThat(s.promptNanos()).isCloseTo(truthPrompt, org.assertj.core.data.Offset.offset(1_000L));
        assertThat(s.decodeTokens()).isEqualTo(g.outputTokens());
        assertThat(s.promptTokens()).isEqualTo(g.promptTokens());
        if (api != Api.LLAMACPP_COMPLETION) {
            assertThat(s.loadNanos()).isZero();
            assertThat(s.totalNanos()).isBetween(truthPrompt + truthDecode, g.endNanos() - g.receivedNanos());
        }
    }

    /**
     * llama.cpp adds its {@code timings} to the last chunk (and the whole answer) of its OpenAI
     * endpoints: the simulator posing as llama.cpp does too, and the harness reads them there,
     * streamed or not, matching the simulator's truth.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "OPENAI_CHAT, true",
        "OPENAI_CHAT, false",
        "OPENAI_COMPLETIONS, true",
        "OPENAI_COMPLETIONS, false"
    })
    void llamaCppsOpenAiEndpointsReportItsTimingsMatchingTheTruth(Api api, boolean stream) {
        try (SimServer llama = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .fixedTtft(Duration.ofMillis(15))
                .fixedItl(Duration.ofMillis(3))
                .engine(dev.llmharness.runtime.sim.SimPersona.LLAMACPP)
                .build())) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(llama.baseUrl(), api, llama.config().model(), null, null, true).withStream(stream),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            long id = 600 + api.ordinal() * 2L + (stream ? 1 : 0);
            RequestTiming t = new RequestTiming(id, System.nanoTime(), true);
            client.send(TransportUnderTest.withFault(client.prepare(request(api, 10, true), id), null), t);
            assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            GroundTruth g = llama.groundTruth(false).stream()
                    .filter(r -> Long.toString(id).equals(r.requestId()))
                    .findFirst()
                    .orElseThrow();
            ServerTimings s = t.serverTimings();
            assertThat(s).as("llama.cpp's timings on " + api).isNotNull();
            long truthDecode = g.tokenNanos().get(g.tokenNanos().size() - 1) - g.firstTokenNanos();
            long truthPrompt = g.firstTokenNanos() - g.receivedNanos();
            assertThat(s.decodeNanos()).isCloseTo(truthDecode, org.assertj.core.data.Offset.offset(1_000L));
            assertThat(s.promptNanos()).isCloseTo(truthPrompt, org.assertj.core.data.Offset.offset(1_000L));
            assertThat(s.decodeTokens()).isEqualTo(g.outputTokens());
            assertThat(s.promptTokens()).isEqualTo(g.promptTokens());
        }
    }

    /**
     * A reasoning model's stream as the simulator sends it ({@code --reasoning-tokens 3}): {@code
     * reasoning_content} deltas on the OpenAI chat endpoint, {@code thinking} on Ollama's; the
     * harness counts reasoning and answer apart, with the first instant of each.
     */
    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"OPENAI_CHAT", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void reasoningIsCountedApartFromTheAnswer(Api api) {
        try (SimServer reasoner = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .fixedTtft(Duration.ofMillis(5))
                .fixedItl(Duration.ofMillis(2))
                .reasoningTokens(3)
                .build())) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(reasoner.baseUrl(), api, reasoner.config().model(), null, null, true),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            long id = 700 + api.ordinal();
            RequestTiming t = new RequestTiming(id, System.nanoTime(), true);
            client.send(
                    TransportUnderTest.withFault(client.prepare(request(api, 10, true, "a clockmaker"), id), null), t);
            assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            GroundTruth g = reasoner.groundTruth(false).get(0);
            int reasoning = Math.min(3, g.outputTokens());
            assertThat(t.reasoningEvents()).isEqualTo(reasoning);
            assertThat(t.answerEvents()).isEqualTo(g.outputTokens() - reasoning);
            assertThat(t.firstReasoningNanos()).isEqualTo(t.ttftNanos());
            if (g.outputTokens() > 3) {
                assertThat(t.firstAnswerNanos()).isGreaterThan(t.firstReasoningNanos());
            }
            if (api == Api.OPENAI_CHAT) {
                assertThat(g.outputTokens()).as("forced").isEqualTo(10);
            }
        }
    }

    @Test
    void tgiReportsItsGeneratedTokensInDetails() {
        RequestTiming t = send(Api.TGI_GENERATE, request(Api.TGI_GENERATE, 9, false), null, 300);
        GroundTruth g = truth(300);
        assertThat(t.serverTimings().decodeTokens()).isEqualTo(g.outputTokens());
        assertThat(t.serverTimings().decodeNanos()).isEqualTo(-1);
    }

    @Test
    void llamaCppForcesTheLengthAndTheOthersSayTheyCannot() {
        assertThat(Protocols.of(Api.LLAMACPP_COMPLETION).forcesLength()).isTrue();
        RequestTiming forced = send(Api.LLAMACPP_COMPLETION, request(Api.LLAMACPP_COMPLETION, 40, true), null, 400);
        assertThat(forced.outputTokens()).isEqualTo(40);
        for (Api api : List.of(Api.TGI_GENERATE, Api.OLLAMA_GENERATE, Api.OLLAMA_CHAT)) {
            assertThat(Protocols.of(api).forcesLength()).as(api.name()).isFalse();
            // The simulator stops at its own end of sequence when nothing forces the length.
            long delivered = 0;
            for (int i = 0; i < 6; i++) {
                RequestTiming t = send(api, request(api, 40, true, "a dog named " + i), null, 410 + i);
                assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
                assertThat(t.outputTokens()).isBetween(1L, 40L);
                delivered += t.outputTokens();
            }
            assertThat(delivered).as(api + " delivered over 6 requests of 40").isLessThan(240);
        }
    }

    /** Every API, the OpenAI ones included, against the simulator's own faults. */
    @ParameterizedTest
    @EnumSource(Api.class)
    void aMalformedOrCutStreamIsCategorised(Api api) {
        // Faults strike before the first token: TGI and Ollama may end a short answer early, and a
        // fault after the last token would come after the stream's final event.
        RequestTiming malformed = send(api, request(api, 6, true), "malformed;after=0", 500 + api.ordinal());
        assertThat(malformed.failure()).isEqualTo(FailureCategory.PROTOCOL);
        assertThat(malformed.failureDetail()).contains("not valid JSON");

        RequestTiming cut = send(api, request(api, 6, true), "truncate;after=0", 520 + api.ordinal());
        assertThat(cut.failure()).isEqualTo(FailureCategory.STREAM_TRUNCATED);

        RequestTiming keepAlive = send(api, request(api, 6, true), "empty_event;after=0", 540 + api.ordinal());
        assertThat(keepAlive.outcome()).as(keepAlive.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(keepAlive.ignoredEvents()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"LLAMACPP_COMPLETION", "TGI_GENERATE", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void discoveryFindsTheModelThroughTheEnginesOwnList(Api api) throws Exception {
        Target t = ReadinessProbe.probe(http, sim.baseUrl(), api, "", null, "LLMH_API_KEY", true);
        assertThat(t.model()).isEqualTo(sim.config().model());
        assertThat(t.api()).isEqualTo(api);
        assertThatThrownBy(() -> ReadinessProbe.probe(http, sim.baseUrl(), api, "nope", null, "K", true))
                .hasMessageContaining("does not serve model \"nope\"");
    }

    @Test
    void aRequestOfTheWrongShapeIsRejectedBeforeSending() {
        LlmClient client = new LlmClient(
                transport,
                new Target(sim.baseUrl(), Api.TGI_GENERATE, "m", null, null, true),
                TokenCounter.contentEvents(),
                TIMEOUTS);
        assertThatThrownBy(() -> client.prepare(ChatRequest.of("hi", 3), 0))
                .hasMessage("TGI_GENERATE takes a prompt (a CompletionRequest), not a ChatRequest");
    }

    /** {@code wire/llama.cpp/native_stream.sse}, a real server's {@code /completion} stream. */
    @Test
    void theLlamaCppNativeCaptureIsReadWithItsTimings() throws Exception {
        byte[] capture;
        try (InputStream in = NativeProtocolsTest.class.getResourceAsStream("/wire/llama.cpp/native_stream.sse")) {
            capture = in.readAllBytes();
        }
        try (MockWebServer server = new MockWebServer()) {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            server.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "text/event-stream")
                    .chunkedBody(new Buffer().write(capture), 64)
                    .build());
            LlmClient client = new LlmClient(
                    transport,
                    new Target(
                            "http://127.0.0.1:" + server.getPort(), Api.LLAMACPP_COMPLETION, "tiny", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            RequestTiming t = new RequestTiming(0, System.nanoTime(), true);
            client.send(client.prepare(request(Api.LLAMACPP_COMPLETION, 3, false), 0), t);
            assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            assertThat(t.contentEvents()).isEqualTo(3);
            assertThat(t.outputTokens()).isEqualTo(3);
            assertThat(t.inputTokens()).isEqualTo(5);
            assertThat(t.serverTimings()).isEqualTo(new ServerTimings(11_800_000, 1, 6_488_000, 3, -1, -1));
            assertThat(server.takeRequest().getTarget()).isEqualTo("/completion");
        }
    }
}
