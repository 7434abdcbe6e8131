package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TransportKind.class)
class LlmClientTest {
    /** Every test runs on both transports. */
    @Parameter
    TransportKind transportKind;

    private ClientTransport transport;

    private static final long MS = 1_000_000L;
    private static final ClientTimeouts SHORT = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofMillis(500), Duration.ofSeconds(10));

    private final MockWebServer server = new MockWebServer();
    private OkHttpClient http;

    @BeforeEach
    void start() throws IOException {
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        http = HttpClients.forLoad(16, SHORT);
        transport = TransportUnderTest.open(transportKind, http, SHORT);
    }

    @AfterEach
    void stop() {
        transport.close();
        HttpClients.close(http);
        server.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static Buffer wire(String name) throws IOException {
        try (InputStream in = LlmClientTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
            return new Buffer().write(in.readAllBytes());
        }
    }

    private RequestTiming send(String baseUrl, LlmRequest request, TokenCounter counter) {
        Api api = request instanceof ChatRequest ? Api.OPENAI_CHAT : Api.OPENAI_COMPLETIONS;
        LlmClient client =
                new LlmClient(transport, new Target(baseUrl, api, "tiny", "sk-test", null, false), counter, SHORT);
        long now = System.nanoTime();
        RequestTiming t = new RequestTiming(3, now, true);
        client.send(client.prepare(request, 3), t);
        return t;
    }

    private RequestTiming send(LlmRequest request) {
        return send(base(), request, TokenCounter.contentEvents());
    }

    private static MockResponse.Builder sse(Buffer body) {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .chunkedBody(body, 64)
                .throttleBody(200, 2, TimeUnit.MILLISECONDS);
    }

    @Test
    void llamaCppChatCaptureIsReadWithUsageFromTheFinishChunk() throws Exception {
        server.enqueue(sse(wire("chat_stream.sse")).build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.contentEvents()).isEqualTo(3);
        assertThat(t.outputTokens()).isEqualTo(3);
        assertThat(t.inputTokens()).isEqualTo(29);
        assertThat(t.tokenSource()).isEqualTo("usage");
        assertThat(t.lastToken()).isLessThanOrEqualTo(t.end());
    }

    @Test
    void anEmptyContentChunkIsNotAFirstToken() throws Exception {
        server.enqueue(sse(wire("chat_stream_eos_stop.sse")).build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.hasFirstToken()).isFalse();
        assertThat(t.outputTokens()).isEqualTo(1);
    }

    @Test
    void llamaCppCompletionsCaptureIsRead() throws Exception {
        server.enqueue(sse(wire("completions_stream.sse")).build());
        RequestTiming t = send(CompletionRequest.of(new dev.llmharness.api.Prompt(0, "Once", 1, 3, false, null)));
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.contentEvents()).isEqualTo(3);
        assertThat(t.outputTokens()).isEqualTo(3);
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v1/completions");
    }

    /**
     * A client parses its URL once and the event loop works out a URL's route once; requests of
     * two clients on one transport, interleaved, still each go to their own server.
     */
    @Test
    void clientsSharingATransportSendEachRequestToTheirOwnServer() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start(java.net.InetAddress.getLoopbackAddress(), 0);
            String otherBase = "http://127.0.0.1:" + other.getPort();
            for (int i = 0; i < 3; i++) {
                server.enqueue(sse(wire("chat_stream.sse")).build());
                other.enqueue(sse(wire("completions_stream.sse")).build());
            }
            for (int i = 0; i < 3; i++) {
                assertThat(send(ChatRequest.of("hi", 4)).outcome()).isEqualTo(Outcome.COMPLETED);
                RequestTiming t = send(
                        otherBase,
                        CompletionRequest.of(new dev.llmharness.api.Prompt(0, "Once", 1, 3, false, null)),
                        TokenCounter.contentEvents());
                assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(server.takeRequest().getTarget()).isEqualTo("/v1/chat/completions");
                RecordedRequest r = other.takeRequest();
                assertThat(r.getTarget()).isEqualTo("/v1/completions");
                assertThat(r.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + other.getPort());
            }
            assertThat(server.getRequestCount()).isEqualTo(3);
            assertThat(other.getRequestCount()).isEqualTo(3);
        }
    }

    /** A base URL that does not parse fails each request with OkHttp's reason, as before it was parsed once. */
    @Test
    void aBaseUrlThatDoesNotParseFailsEachRequestWithOkHttpsReason() {
        String bad = "http://exa mple.com:80x";
        LlmClient client = new LlmClient(
                transport,
                new Target(bad, Api.OPENAI_CHAT, "tiny", null, null, false),
                TokenCounter.contentEvents(),
                SHORT);
        String reason;
        try {
            new okhttp3.Request.Builder().url(bad + "/v1/chat/completions");
            throw new AssertionError("OkHttp took " + bad);
        } catch (IllegalArgumentException e) {
            reason = e.getMessage();
        }

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.prepare(ChatRequest.of("hi", 4), 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(reason);
        }
    }

    @Test
    void requestCarriesModelStreamingUsageExactOutputExtraBodyIdAndKey() throws Exception {
        server.enqueue(sse(wire("chat_stream.sse")).build());
        ChatRequest request = ChatRequest.of("hi", 16)
                .exactOutput(true)
                .temperature(0.5)
                .extra("top_k", 5)
                .extra("max_tokens", 17);
        send(request);
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeaders().get("X-Llmh-Request-Id")).isEqualTo("3");
        assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = new ObjectMapper().readTree(recorded.getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(body.get("ignore_eos").asBoolean()).isTrue();
        assertThat(body.get("min_tokens").asInt()).isEqualTo(16);
        assertThat(body.get("max_tokens").asInt()).as("extra body overrides").isEqualTo(17);
        assertThat(body.get("top_k").asInt()).isEqualTo(5);
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.at("/messages/0/content").asText()).isEqualTo("hi");
    }

    @Test
    void reasoningAndToolCallDeltasAreContentButRoleOnlyChunksAreNot() throws Exception {
        String body = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"reasoning\":\"so\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        server.enqueue(sse(new Buffer().writeUtf8(body)).build());
        RequestTiming t = send(ChatRequest.of("hi", 8));
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.contentEvents()).isEqualTo(4);
        assertThat(t.tokenSource()).isEqualTo("events");
        assertThat(t.outputTokens()).isEqualTo(4);
    }

    @Test
    void aTokenizerCounterCountsTokensOfMultiTokenEventsButRecordsOneGap() throws Exception {
        String body = "data: {\"choices\":[{\"delta\":{\"content\":\"one two\"}}]}\r\n\r\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"three\"}}]}\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
        server.enqueue(sse(new Buffer().writeUtf8(body)).build());
        TokenCounter words = TokenCounter.ofFunction(s -> s.split(" ").length, "tokenizer");
        RequestTiming t = send(base(), ChatRequest.of("hi", 8), words);
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.contentEvents()).isEqualTo(2);
        assertThat(t.outputTokens()).isEqualTo(3);
        assertThat(t.tokenSource()).isEqualTo("tokenizer");
    }

    @Test
    void theTokenizerIsNotCalledWhenTheServerReportsUsage() throws Exception {
        String body = "data: {\"choices\":[{\"delta\":{\"content\":\"one two\"}}]}\r\n\r\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5}}\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
        server.enqueue(sse(new Buffer().writeUtf8(body)).build());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TokenCounter counting = TokenCounter.ofFunction(
                s -> {
                    calls.incrementAndGet();
                    return 1;
                },
                "tokenizer");
        RequestTiming t = send(base(), ChatRequest.of("hi", 8), counting);
        assertThat(t.outputTokens()).isEqualTo(5);
        assertThat(t.tokenSource()).isEqualTo("usage");
        assertThat(calls.get()).isZero();
    }

    @Test
    void aStreamLongerThanTheDeferredBatchAndCutShortIsStillCountedEventByEvent() throws Exception {
        StringBuilder body = new StringBuilder();
        int events = LlmClient.MAX_DEFERRED_EVENTS + 10;
        for (int i = 0; i < events; i++) {
            body.append("data: {\"choices\":[{\"delta\":{\"content\":\"a b\"}}]}\r\n\r\n");
        }
        // No usage and no [DONE]: the stream is truncated, yet every event's tokens are counted.
        server.enqueue(sse(new Buffer().writeUtf8(body.toString())).build());
        TokenCounter words = TokenCounter.ofFunction(s -> s.split(" ").length, "tokenizer");
        RequestTiming t = send(base(), ChatRequest.of("hi", 8), words);
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failure()).isEqualTo(FailureCategory.STREAM_TRUNCATED);
        assertThat(t.contentEvents()).isEqualTo(events);
        assertThat(t.outputTokens()).isEqualTo(2L * events);
        assertThat(t.tokenSource()).isEqualTo("tokenizer");
    }

    @Test
    void timingsMatchTheDefinitionsOnAStreamWithKnownDelays() throws Exception {
        try (StreamingTestServer s = new StreamingTestServer(
                r -> StreamingTestServer.Script.sse(StreamingTestServer.chatStream(120, 40, "a", "b", "c", "d")))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 4), TokenCounter.contentEvents());
            assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(t.ttftNanos()).isBetween(120 * MS, 220 * MS);
            // The server writes events 40 ms apart, but a read of the earlier event that wakes late
            // (up to ~1 ms on a busy 2-core VM) shortens the gap the client sees: allow 5 ms.
            for (int i = 1; i < 4; i++) {
                assertThat(t.eventNanos(i) - t.eventNanos(i - 1)).isBetween(35 * MS, 90 * MS);
            }
            assertThat(t.tpotNanos()).isBetween(35 * MS, 90 * MS);
            assertThat(t.e2eNanos()).isBetween(240 * MS, 400 * MS);
            assertThat(t.outputTokens()).isEqualTo(4);
            assertThat(s.received().get(0).headers()).containsEntry("x-llmh-request-id", "3");
        }
    }

    @Test
    void httpErrorsAreCategorisedByStatus() {
        int[] codes = {429, 500, 503, 400, 404};
        FailureCategory[] expected = {
            FailureCategory.HTTP_429,
            FailureCategory.HTTP_5XX,
            FailureCategory.HTTP_5XX,
            FailureCategory.HTTP_4XX,
            FailureCategory.HTTP_4XX
        };
        for (int i = 0; i < codes.length; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(codes[i])
                    .body("{\"error\":{\"message\":\"nope " + codes[i] + "\"}}")
                    .build());
            RequestTiming t = send(ChatRequest.of("hi", 3));
            assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(t.failure()).isEqualTo(expected[i]);
            assertThat(t.failureDetail()).contains("HTTP " + codes[i]).contains("nope");
        }
        assertThat(server.getRequestCount())
                .as("429 is recorded, never retried")
                .isEqualTo(codes.length);
    }

    @Test
    void anEventThatIsNotJsonIsAProtocolFailure() {
        server.enqueue(sse(new Buffer()
                        .writeUtf8("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                                + "data: this is not json\n\ndata: [DONE]\n\n"))
                .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.failure()).isEqualTo(FailureCategory.PROTOCOL);
        assertThat(t.failureDetail()).contains("not valid JSON");
    }

    @Test
    void anEventWithoutChoicesIsIgnoredAndCounted() {
        server.enqueue(sse(new Buffer()
                        .writeUtf8("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\"}\n\n"
                                + "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\n"))
                .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.ignoredEvents()).isEqualTo(1);
    }

    @Test
    void anErrorEventMidStreamIsAProtocolFailureNamingTheMessage() {
        server.enqueue(sse(new Buffer().writeUtf8("data: {\"error\":{\"message\":\"out of memory\"}}\n\n"))
                .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.failure()).isEqualTo(FailureCategory.PROTOCOL);
        assertThat(t.failureDetail()).contains("out of memory");
    }

    @Test
    void aStreamEndingWithoutDoneIsTruncated() {
        server.enqueue(sse(new Buffer().writeUtf8("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"))
                .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.failure()).isEqualTo(FailureCategory.STREAM_TRUNCATED);
        assertThat(t.contentEvents()).isEqualTo(1);
    }

    @Test
    void aStreamCutMidWayIsTruncated() throws Exception {
        List<StreamingTestServer.Step> steps = List.of(
                new StreamingTestServer.Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new StreamingTestServer.Step(20, "data: {\"choices\":[{\"delta\":{\"con"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, true))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).isEqualTo(FailureCategory.STREAM_TRUNCATED);
        }
    }

    @Test
    void aConnectionDroppedDuringTheBodyIsTruncated() {
        server.enqueue(
                sse(new Buffer().writeUtf8("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n".repeat(50)))
                        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
                        .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failure()).isIn(FailureCategory.STREAM_TRUNCATED, FailureCategory.CONNECTION);
    }

    @Test
    void aServerThatNeverSendsTheFirstByteTimesOut() {
        server.enqueue(sse(wire0()).headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.failure()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(System.nanoTime() - start).isLessThan(2_500 * MS);
    }

    private static Buffer wire0() {
        return new Buffer().writeUtf8("data: [DONE]\n\n");
    }

    @Test
    void aStallMidStreamTimesOutAfterTheIdleTimeout() throws Exception {
        List<StreamingTestServer.Step> steps = List.of(
                new StreamingTestServer.Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new StreamingTestServer.Step(3_000, "data: [DONE]\n\n"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.contentEvents()).isEqualTo(1);
            assertThat(t.end() - t.lastToken()).isBetween(450 * MS, 2_000 * MS);
            assertThat(t.failureDetail()).isEqualTo("no data within the idle timeout of PT0.5S after 1 content events");
        }
    }

    @Test
    void aReusedConnectionStillTimesOutWaitingForHeaders() throws Exception {
        // The first exchange leaves its socket without a read timeout (HttpClients): the next
        // exchange on that connection must still be bounded while it waits for headers.
        server.enqueue(sse(wire("chat_stream.sse")).build());
        server.enqueue(
                sse(wire("chat_stream.sse")).headersDelay(3, TimeUnit.SECONDS).build());
        assertThat(send(ChatRequest.of("hi", 3)).outcome()).isEqualTo(Outcome.COMPLETED);
        long start = System.nanoTime();
        RequestTiming second = send(ChatRequest.of("hi", 3));
        assertThat(second.failure()).isEqualTo(FailureCategory.TIMEOUT);
        assertThat(System.nanoTime() - start).isBetween(650 * MS, 2_500 * MS);
        RecordedRequest first = server.takeRequest();
        RecordedRequest next = server.takeRequest();
        assertThat(next.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
        assertThat(next.getExchangeIndex()).isEqualTo(first.getExchangeIndex() + 1);
    }

    @Test
    void headersWithoutContentTimeOutAfterTheFirstTokenTimeout() throws Exception {
        // The socket reads without a timeout once headers are in (HttpClients): Okio's watchdog
        // must still end a body that never starts.
        List<StreamingTestServer.Step> steps = List.of(new StreamingTestServer.Step(3_000, "data: [DONE]\n\n"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            long start = System.nanoTime();
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.contentEvents()).isZero();
            assertThat(System.nanoTime() - start).isBetween(650 * MS, 2_500 * MS);
            assertThat(t.failureDetail()).isEqualTo("no content within the first-token timeout of PT0.7S");
        }
    }

    @Test
    void anUnreachableTargetIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RequestTiming t = send("http://127.0.0.1:" + port, ChatRequest.of("hi", 3), TokenCounter.contentEvents());
        assertThat(t.failure()).isEqualTo(FailureCategory.CONNECTION);
    }

    @Test
    void aNonStreamingAnswerIsAProtocolFailure() {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body("{\"choices\":[]}")
                .build());
        RequestTiming t = send(ChatRequest.of("hi", 3));
        assertThat(t.failure()).isEqualTo(FailureCategory.PROTOCOL);
    }

    @Test
    void cancellingInFlightRequestsMarksThemCancelledNotFailed() throws Exception {
        List<StreamingTestServer.Step> steps = List.of(
                new StreamingTestServer.Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new StreamingTestServer.Step(400, "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"),
                new StreamingTestServer.Step(400, "data: [DONE]\n\n"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(s.baseUrl(), Api.OPENAI_CHAT, "m", null, null, false),
                    TokenCounter.contentEvents(),
                    SHORT);
            RequestTiming t = new RequestTiming(0, System.nanoTime(), true);
            Thread sender = new Thread(() -> client.send(client.prepare(ChatRequest.of("hi", 2), 0), t));
            sender.start();
            long deadline = System.nanoTime() + 5_000 * MS;
            while (!t.hasFirstToken() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(client.inFlight())
                    .as("%s %s", t.outcome(), t.failureDetail())
                    .isEqualTo(1);
            assertThat(client.cancelAll(System.nanoTime())).isEqualTo(1);
            sender.join(5000);
            assertThat(t.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(client.inFlight()).isZero();
        }
    }

    @Test
    void probeResolvesTheModelAndReportsTheServer() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Server", "llama.cpp")
                .body("{\"object\":\"list\",\"data\":[{\"id\":\"tiny\"},{\"id\":\"other\"}]}")
                .build());
        Target t = ReadinessProbe.probe(http, base() + "/v1/", Api.OPENAI_CHAT, "", null, "LLMH_API_KEY", false);
        assertThat(t.model()).isEqualTo("tiny");
        assertThat(t.baseUrl()).isEqualTo(base());
        assertThat(t.serverVersion()).isEqualTo("llama.cpp");
    }

    @Test
    void probeGivesOneClearMessageFor401And404AndADeadServer() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).build());
        assertThatThrownBy(() -> ReadinessProbe.probe(http, base(), Api.OPENAI_CHAT, "m", null, "MY_KEY", false))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("MY_KEY");
        server.enqueue(new MockResponse.Builder().code(404).build());
        assertThatThrownBy(() -> ReadinessProbe.probe(http, base(), Api.OPENAI_CHAT, "m", null, "MY_KEY", false))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("404")
                .hasMessageContaining("base URL");
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() ->
                        ReadinessProbe.probe(http, "http://127.0.0.1:" + port, Api.OPENAI_CHAT, "m", null, "K", false))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("cannot connect")
                .hasMessageContaining("-Dllmh.url");
    }

    @Test
    void theApiKeyNeverAppearsInTheTargetsText() {
        assertThat(new Target("http://h", Api.OPENAI_CHAT, "m", "sk-secret", null, false).toString())
                .doesNotContain("sk-secret");
    }

    @Test
    void eventArrivalsAgreeWithTheServersOwnWriteInstants() throws Exception {
        try (StreamingTestServer s = new StreamingTestServer(
                r -> StreamingTestServer.Script.sse(StreamingTestServer.chatStream(30, 15, "a", "b", "c", "d", "e")))) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(s.baseUrl(), Api.OPENAI_CHAT, "m", null, null, false),
                    TokenCounter.contentEvents(),
                    SHORT);
            long worst = 0;
            for (int k = 0; k < 8; k++) {
                RequestTiming t = new RequestTiming(k, System.nanoTime(), true);
                client.send(client.prepare(ChatRequest.of("hi", 5), k), t);
                assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
                // Steps: role chunk, then the five content chunks (steps 1..5), usage, [DONE].
                List<Long> written = s.writeInstants(Integer.toString(k));
                for (int i = 0; i < 5; i++) {
                    long lag = t.eventNanos(i) - written.get(i + 1);
                    assertThat(lag).as("event %d read before it was written", i).isGreaterThanOrEqualTo(0);
                    if (k >= 3) {
                        worst = Math.max(worst, lag);
                    }
                }
            }
            System.out.printf("worst event read lag after the server wrote it: %.1f us%n", worst / 1e3);
            // Loopback read of an event is microseconds; allow a busy shared machine 20 ms.
            assertThat(worst).isLessThan(20 * MS);
        }
    }

    @Test
    void theWarmUpReadsWholeInMemoryStreamsThroughTheStreamPathIntoCompletedRecords() {
        LlmClient client = new LlmClient(
                transport,
                new Target("http://127.0.0.1:9", Api.OPENAI_CHAT, "m", null, null, false),
                TokenCounter.contentEvents(),
                SHORT);
        List<RequestTiming> seen = new java.util.ArrayList<>();
        client.warmUp(seen::add);
        assertThat(seen).hasSize(LlmClient.WARM_UP_STREAMS);
        assertThat(seen).allSatisfy(t -> {
            assertThat(t.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(t.contentEvents()).isEqualTo(LlmClient.WARM_UP_EVENTS);
        });
        // Nothing was sent, and nothing is left in flight.
        assertThat(client.inFlight()).isZero();
    }
}
