package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the client ends a request when a real server departs from the reference stream: the
 * simulator on loopback injects each habit ({@code X-Llmh-Fault}), and the llama.cpp captures are
 * replayed with the same departures.
 */
@ParameterizedClass
@EnumSource(TransportKind.class)
class ServerHabitsTest {
    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30));
    private static final SharedTransport TRANSPORTS = new SharedTransport(4, TIMEOUTS);
    private static SimServer sim;
    private static OkHttpClient http;
    private static ClientTransport transport;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.preset("zero"));
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

    private static RequestTiming send(
            ClientTransport client, ClientTimeouts timeouts, LlmRequest request, String fault) {
        LlmClient llm = new LlmClient(
                client,
                new Target(
                        sim.baseUrl(),
                        request instanceof ChatRequest ? Api.OPENAI_CHAT : Api.OPENAI_COMPLETIONS,
                        sim.config().model(),
                        null,
                        null,
                        true),
                TokenCounter.contentEvents(),
                timeouts);
        PreparedRequest prepared = TransportUnderTest.withFault(llm.prepare(request, 1), fault);
        RequestTiming t = new RequestTiming(1, System.nanoTime(), true);
        llm.send(prepared, t);
        return t;
    }

    private static RequestTiming send(LlmRequest request, String fault) {
        return send(transport, TIMEOUTS, request, fault);
    }

    private static ChatRequest chat(int tokens) {
        return ChatRequest.of("Hi", tokens).exactOutput(true);
    }

    @Test
    void aStreamEndingCleanlyAfterItsFinishButWithoutDoneIsCompletedAndCounted() {
        RequestTiming t = send(chat(6), "no_done");
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.unterminated()).isTrue();
        assertThat(t.outputTokens()).isEqualTo(6);
        assertThat(t.tokenSource()).isEqualTo("usage");

        RequestTiming completions = send(CompletionRequest.of(new Prompt(0, "Once", 1, 4, true, null)), "no_done");
        assertThat(completions.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(completions.unterminated()).isTrue();

        RequestTiming normal = send(chat(6), null);
        assertThat(normal.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(normal.unterminated()).isFalse();
    }

    @Test
    void aCleanEndBeforeTheFinishIsStillTruncatedWithAMessage() {
        RequestTiming t = send(chat(8), "truncate;after=3");
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failure()).isEqualTo(FailureCategory.STREAM_TRUNCATED);
        assertThat(t.failureDetail())
                .isEqualTo("the stream ended after 3 content events without a finish_reason or" + " data: [DONE]");
    }

    @Test
    void anEventWithNeitherChoicesNorUsageIsIgnoredAndCounted() {
        RequestTiming t = send(chat(5), "empty_event;after=2");
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.ignoredEvents()).isEqualTo(1);
        assertThat(t.contentEvents()).isEqualTo(5);

        RequestTiming first = send(chat(5), "empty_event;after=0");
        assertThat(first.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(first.ignoredEvents()).isEqualTo(1);
    }

    @Test
    void aConnectionResetMidStreamIsAConnectionFailureSayingWhere() {
        RequestTiming t = send(chat(8), "reset;after=3");
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.CONNECTION);
        assertThat(t.failureDetail()).startsWith("after 3 content events: ");
        assertThat(t.contentEvents()).isEqualTo(3);
    }

    @Test
    void theTotalTimeoutExpiringIsATimeoutFailureNotACancellation() {
        ClientTimeouts shortTotal = new ClientTimeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(300));
        ClientTransport client = kind.open(1, shortTotal);
        try {
            // The stall outlasts the test: only the total timeout can end the request.
            RequestTiming t = send(client, shortTotal, chat(4), "stall;after=1;ms=600000");
            assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(t.failure()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.failureDetail()).isEqualTo("no complete answer within the total timeout of PT0.3S");
        } finally {
            client.close();
        }
    }

    @Test
    void theTrialCountsUnterminatedStreamsAndIgnoredEvents() {
        TrialRecorder recorder = new TrialRecorder(SloSpec.NONE, System.nanoTime());
        for (String fault : new String[] {"no_done", "empty_event;after=1", "none"}) {
            RequestTiming t = send(chat(3), fault);
            recorder.onSent(t);
            recorder.onEnded(t);
        }
        TrialMetrics m = recorder.finish();
        assertThat(m.completed()).isEqualTo(3);
        assertThat(m.unterminatedStreams()).isEqualTo(1);
        assertThat(m.ignoredEvents()).isEqualTo(1);
    }

    /** The llama.cpp captures, byte for byte, with the departures spliced in. */
    @Test
    void llamaCppCapturesWithoutDoneOrWithKeepAlivesAreCompleted() throws Exception {
        String capture = capture("chat_stream.sse");
        assertThat(capture).contains("data: [DONE]\n\n");
        try (MockWebServer server = new MockWebServer()) {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            server.enqueue(sse(capture.replace("data: [DONE]\n\n", "")));
            server.enqueue(sse("data: {}\n\n" + capture.replace("\n\n", "\n\ndata: {}\n\n")));
            LlmClient llm = new LlmClient(
                    transport,
                    new Target("http://127.0.0.1:" + server.getPort(), Api.OPENAI_CHAT, "tiny", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            RequestTiming noDone = new RequestTiming(0, System.nanoTime(), true);
            llm.send(llm.prepare(ChatRequest.of("hi", 3), 0), noDone);
            assertThat(noDone.outcome()).as(noDone.failureDetail()).isEqualTo(Outcome.COMPLETED);
            assertThat(noDone.unterminated()).isTrue();
            assertThat(noDone.outputTokens()).isEqualTo(3);
            assertThat(noDone.inputTokens()).isEqualTo(29);

            RequestTiming keepAlives = new RequestTiming(1, System.nanoTime(), true);
            llm.send(llm.prepare(ChatRequest.of("hi", 3), 1), keepAlives);
            assertThat(keepAlives.outcome()).as(keepAlives.failureDetail()).isEqualTo(Outcome.COMPLETED);
            assertThat(keepAlives.unterminated()).isFalse();
            assertThat(keepAlives.ignoredEvents()).isEqualTo(5);
            assertThat(keepAlives.contentEvents()).isEqualTo(3);
        }
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .chunkedBody(new Buffer().writeUtf8(body), 64)
                .build();
    }

    private static String capture(String name) throws IOException {
        try (InputStream in = ServerHabitsTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
