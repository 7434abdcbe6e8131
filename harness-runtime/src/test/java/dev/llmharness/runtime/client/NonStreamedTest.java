package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Non-streamed requests ({@code Target.stream() == false}) over every API against the simulator:
 * the whole answer is read, E2E is its only latency (no first token, TTFT or TPOT), the server's
 * counts and self-reported timings (TGI's timing headers included) match the simulator's ground
 * truth, and a malformed body is categorised.
 */
@ParameterizedClass
@EnumSource(TransportKind.class)
class NonStreamedTest {
    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30));
    private static final SharedTransport TRANSPORTS = new SharedTransport(4, TIMEOUTS);
    private static SimServer sim;
    private static OkHttpClient http;
    private static ClientTransport transport;

    @BeforeAll
    static void start() {
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

    private static LlmRequest request(Api api, int tokens) {
        if (api.takesMessages()) {
            return ChatRequest.of("Tell me a story about a lighthouse", tokens).exactOutput(true);
        }
        return CompletionRequest.of(new Prompt(0, "Once upon a time there was a lighthouse", 8, tokens, true, null));
    }

    private static RequestTiming send(Api api, LlmRequest request, String fault, long id) {
        return send(api, request, fault, id, TIMEOUTS);
    }

    private static RequestTiming send(Api api, LlmRequest request, String fault, long id, ClientTimeouts timeouts) {
        LlmClient client = new LlmClient(
                transport,
                new Target(sim.baseUrl(), api, sim.config().model(), null, null, true, false),
                TokenCounter.contentEvents(),
                timeouts);
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
    @EnumSource(Api.class)
    void aNonStreamedRequestRecordsE2eAndTheServersCountsButNoFirstToken(Api api) {
        long id = 1000 + api.ordinal();
        RequestTiming t = send(api, request(api, 10), null, id);
        GroundTruth g = truth(id);
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(g.stream()).as("the simulator saw a non-streamed request").isFalse();
        assertThat(g.endpoint()).isEqualTo(api == Api.TGI_GENERATE ? "tgi_generate" : g.endpoint());
        assertThat(t.nonStreamed()).isTrue();
        assertThat(t.hasFirstToken()).isFalse();
        assertThat(t.contentEvents()).isZero();
        assertThat(t.ttftNanos()).isEqualTo(-1);
        assertThat(t.tpotNanos()).isEqualTo(-1);
        // E2E runs from the intended start to the whole body, so it covers the server's work.
        assertThat(t.e2eNanos()).isEqualTo(t.end() - t.intendedStart());
        assertThat(t.e2eNanos())
                .isGreaterThanOrEqualTo(g.tokenNanos().get(g.tokenNanos().size() - 1) - g.receivedNanos());
        assertThat(t.outputTokens()).isEqualTo(g.outputTokens());
        assertThat(t.tokenSource()).isEqualTo("usage");
        assertThat(t.inputTokens()).isEqualTo(g.promptTokens());
    }

    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"LLAMACPP_COMPLETION", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void theServersTimingsInTheBodyMatchTheSimulatorsTruth(Api api) {
        long id = 1100 + api.ordinal();
        RequestTiming t = send(api, request(api, 10), null, id);
        GroundTruth g = truth(id);
        ServerTimings s = t.serverTimings();
        assertThat(s).as("server timings of " + api).isNotNull();
        long truthDecode = g.tokenNanos().get(g.tokenNanos().size() - 1) - g.firstTokenNanos();
        long truthPrompt = g.firstTokenNanos() - g.receivedNanos();
        assertThat(s.decodeNanos()).isCloseTo(truthDecode, Offset.offset(1_000L));
        assertThat(s.promptNanos()).isCloseTo(truthPrompt, Offset.offset(1_000L));
        assertThat(s.decodeTokens()).isEqualTo(g.outputTokens());
        assertThat(s.promptTokens()).isEqualTo(g.promptTokens());
    }

    @ParameterizedTest
    @EnumSource(value = Api.class, names = "TGI_GENERATE")
    void tgisTimingHeadersAreRecordedAsServerTimings(Api api) {
        RequestTiming t = send(api, request(api, 10), null, 1200);
        GroundTruth g = truth(1200);
        ServerTimings s = t.serverTimings();
        assertThat(s).isNotNull();
        assertThat(s.decodeTokens()).as("x-generated-tokens").isEqualTo(g.outputTokens());
        assertThat(s.promptTokens()).as("x-prompt-tokens").isEqualTo(g.promptTokens());
        // x-total-time is whole milliseconds of the simulator's receipt-to-body time.
        long lastToken = g.tokenNanos().get(g.tokenNanos().size() - 1);
        long atLeast = (lastToken - g.receivedNanos()) / 1_000_000 * 1_000_000;
        assertThat(s.totalNanos()).as("x-total-time").isBetween(atLeast, g.endNanos() - g.receivedNanos());
        assertThat(s.queueNanos()).as("x-queue-time").isZero();
        assertThat(s.promptNanos())
                .as("TGI does not split prompt from generation")
                .isEqualTo(-1);
    }

    @org.junit.jupiter.api.Test
    void theFirstTokenTimeoutDoesNotApplyAndTheTotalTimeoutDoes() {
        // 80 tokens take the simulator 15 ms + 79 x 3 ms, about 250 ms, before the body is sent:
        // beyond a first-token and idle timeout of 100 ms, within a total timeout of 10 s.
        ClientTimeouts shortFirst = new ClientTimeouts(
                Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(10));
        RequestTiming whole = send(Api.OPENAI_CHAT, request(Api.OPENAI_CHAT, 80), null, 1400, shortFirst);
        assertThat(whole.outcome()).as(whole.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(whole.outputTokens()).isEqualTo(80);

        ClientTimeouts shortTotal = new ClientTimeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(100));
        RequestTiming late = send(Api.OPENAI_CHAT, request(Api.OPENAI_CHAT, 80), null, 1401, shortTotal);
        assertThat(late.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(late.failure()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(late.e2eNanos()).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aMalformedBodyIsCategorised(Api api) {
        RequestTiming t = send(api, request(api, 6), "malformed;after=0", 1300 + api.ordinal());
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failure()).isEqualTo(FailureCategory.PROTOCOL);
        assertThat(t.failureDetail()).startsWith("non-streamed answer: ").contains("JSON");
        assertThat(t.e2eNanos()).isEqualTo(-1);
    }
}
