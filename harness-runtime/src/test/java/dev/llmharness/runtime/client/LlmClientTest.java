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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
    /** The timeouts of the tests of a timeout ({@link #useShortTimeouts()}). */
    private static final ClientTimeouts SHORT = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofMillis(500), Duration.ofSeconds(10));
    /**
     * The timeouts of every other test: a build at idle priority beside a measurement can wait
     * longer than {@link #SHORT}'s half second for the core, and a request the test means to
     * complete, cancel or fail otherwise must not time out meanwhile.
     */
    private static final ClientTimeouts LONG = new ClientTimeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));

    private final MockWebServer server = new MockWebServer();
    private OkHttpClient http;
    private ClientTimeouts timeouts;

    @BeforeEach
    void start() throws IOException {
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        open(LONG);
    }

    private void open(ClientTimeouts t) {
        timeouts = t;
        http = HttpClients.forLoad(16, t);
        transport = TransportUnderTest.open(transportKind, http, t);
    }

    /** Reopens the transport, and sends from now on, with {@link #SHORT} timeouts: for a test of a timeout. */
    private void useShortTimeouts() {
        transport.close();
        HttpClients.close(http);
        open(SHORT);
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
                new LlmClient(transport, new Target(baseUrl, api, "tiny", "sk-test", null, false), counter, timeouts);
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
                timeouts);
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

    /**
     * TTFT, the gaps, TPOT and E2E as defined, on a stream whose server pauses 120 ms before the
     * first content event and 40 ms before each next one. Each pause starts only once the client
     * has stamped the event before (a gate, not a guess of how fast a loaded machine reads), so each
     * bound follows from the server's own instants: an event is stamped after the server wrote it
     * and before the server saw it stamped.
     */
    @Test
    void timingsMatchTheDefinitionsOnAStreamWithKnownDelays() throws Exception {
        ReadSignal reads = new ReadSignal();
        List<StreamingTestServer.Step> steps =
                reads.gated(StreamingTestServer.chatStream(120, 40, "a", "b", "c", "d"), 4);
        try (StreamingTestServer s = new StreamingTestServer(r -> StreamingTestServer.Script.sse(steps))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 4), reads);
            assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            assertThat(t.contentEvents()).isEqualTo(4);
            assertThat(t.outputTokens()).isEqualTo(4);
            // Step 0 is the role-only chunk; content event i is step i + 1.
            List<Long> written = s.writeInstants("3");
            List<Long> seen = reads.seen();
            for (int i = 0; i < 4; i++) {
                assertThat(t.eventNanos(i))
                        .as("event %d between the server's write of it and its sight of the client's stamp", i)
                        .isBetween(written.get(i + 1), seen.get(i));
            }
            assertThat(t.ttftNanos()).isEqualTo(t.eventNanos(0) - t.intendedStart());
            assertThat(t.ttftNanos()).isGreaterThanOrEqualTo(120 * MS);
            // Event i - 1 was stamped before the server began its 40 ms pause before event i.
            for (int i = 1; i < 4; i++) {
                assertThat(t.eventNanos(i) - t.eventNanos(i - 1)).isGreaterThanOrEqualTo(40 * MS);
            }
            assertThat(t.tpotNanos()).isEqualTo((t.eventNanos(3) - t.eventNanos(0)) / 3);
            assertThat(t.tpotNanos()).isGreaterThanOrEqualTo(40 * MS);
            assertThat(t.e2eNanos()).isEqualTo(t.eventNanos(3) - t.intendedStart());
            assertThat(t.e2eNanos()).isGreaterThanOrEqualTo(240 * MS);
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
    void aServerThatNeverSendsTheFirstByteTimesOut() throws Exception {
        useShortTimeouts();
        // The server reads the request and answers nothing until the test ends: only the
        // first-token timeout can end the request, however late the loaded machine runs it.
        try (LoopbackServer silent = new LoopbackServer("silent", 50, (in, out) -> {
            StreamingTestServer.readRequest(in);
            Thread.sleep(StreamingTestServer.UNTIL_CLOSED);
        })) {
            RequestTiming t = send(silent.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.failureDetail()).isEqualTo(ClientTimeouts.firstTokenExpired(SHORT.firstToken()));
            // From the send, as the timeout runs: the time before it (a cold JVM's first request
            // on a loaded machine took seconds) is not the timeout's.
            assertThat(t.end() - t.sent())
                    .isBetween(650 * MS, 10 * SHORT.firstToken().toNanos());
        }
    }

    @Test
    void aStallMidStreamTimesOutAfterTheIdleTimeout() throws Exception {
        useShortTimeouts();
        // After one event the server holds the stream open until the test ends: only the idle
        // timeout can end it.
        List<StreamingTestServer.Step> steps = List.of(
                new StreamingTestServer.Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                StreamingTestServer.Step.untilClosed("data: [DONE]\n\n"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.contentEvents()).isEqualTo(1);
            assertThat(t.failureDetail()).isEqualTo("no data within the idle timeout of PT0.5S after 1 content events");
            assertThat(t.end() - t.lastToken())
                    .isBetween(450 * MS, 10 * SHORT.idle().toNanos());
        }
    }

    @Test
    void aReusedConnectionStillTimesOutWaitingForHeaders() throws Exception {
        useShortTimeouts();
        // The first exchange leaves its socket without a read timeout (HttpClients): the next
        // exchange on that connection must still be bounded while it waits for headers. The server
        // answers a connection's first request whole and its next one never, until the test ends.
        byte[] body = wire("chat_stream.sse").readByteArray();
        List<Integer> exchangeIndexes = new CopyOnWriteArrayList<>();
        Semaphore read = new Semaphore(0);
        try (LoopbackServer reused = new LoopbackServer("reused", 50, (in, out) -> {
            for (int exchange = 0; StreamingTestServer.readRequest(in) != null; exchange++) {
                exchangeIndexes.add(exchange);
                read.release();
                if (exchange > 0) {
                    Thread.sleep(StreamingTestServer.UNTIL_CLOSED);
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + body.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        })) {
            RequestTiming first = send(reused.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(first.outcome()).as(first.failureDetail()).isEqualTo(Outcome.COMPLETED);
            RequestTiming second = send(reused.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(second.failure()).as(second.failureDetail()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(second.failureDetail()).isEqualTo(ClientTimeouts.firstTokenExpired(SHORT.firstToken()));
            // From the send, as the timeout runs: the time before it (a cold JVM's first request
            // on a loaded machine took seconds) is not the timeout's.
            assertThat(second.end() - second.sent())
                    .isBetween(650 * MS, 10 * SHORT.firstToken().toNanos());
            // The server has read both requests (it may read the second after the client gave up).
            assertThat(read.tryAcquire(2, 30, TimeUnit.SECONDS))
                    .as("both requests read")
                    .isTrue();
            assertThat(exchangeIndexes)
                    .as("each request's exchange on its connection: the second reused the first's")
                    .containsExactly(0, 1);
        }
    }

    @Test
    void headersWithoutContentTimeOutAfterTheFirstTokenTimeout() throws Exception {
        useShortTimeouts();
        // The socket reads without a timeout once headers are in (HttpClients): the stall watch
        // must still end a body that never starts. The server holds it open until the test ends.
        List<StreamingTestServer.Step> steps = List.of(StreamingTestServer.Step.untilClosed("data: [DONE]\n\n"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            RequestTiming t = send(s.baseUrl(), ChatRequest.of("hi", 3), TokenCounter.contentEvents());
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.contentEvents()).isZero();
            assertThat(t.failureDetail()).isEqualTo("no content within the first-token timeout of PT0.7S");
            // From the send, as the timeout runs: the time before it (a cold JVM's first request
            // on a loaded machine took seconds) is not the timeout's.
            assertThat(t.end() - t.sent())
                    .isBetween(650 * MS, 10 * SHORT.firstToken().toNanos());
        }
    }

    @Test
    void anUnreachableTargetIsAConnectionFailure() throws Exception {
        try (Socket refusing = LoopbackServer.refusingPort()) {
            RequestTiming t = send(
                    "http://127.0.0.1:" + refusing.getLocalPort(),
                    ChatRequest.of("hi", 3),
                    TokenCounter.contentEvents());
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.CONNECTION);
        }
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
        // One content event, then the server holds the stream open until the test ends: the
        // request is still in flight when this thread cancels it, however late it gets to.
        List<StreamingTestServer.Step> steps = List.of(
                new StreamingTestServer.Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                StreamingTestServer.Step.untilClosed("data: [DONE]\n\n"));
        ReadSignal reads = new ReadSignal();
        try (StreamingTestServer s =
                new StreamingTestServer(r -> new StreamingTestServer.Script(200, "text/event-stream", steps, false))) {
            LlmClient client = new LlmClient(
                    transport, new Target(s.baseUrl(), Api.OPENAI_CHAT, "m", null, null, false), reads, timeouts);
            RequestTiming t = new RequestTiming(0, System.nanoTime(), true);
            Thread sender = new Thread(() -> client.send(client.prepare(ChatRequest.of("hi", 2), 0), t));
            sender.start();
            assertThat(reads.awaitRead()).as("the client read the first event").isTrue();
            assertThat(client.inFlight())
                    .as("%s %s", t.outcome(), t.failureDetail())
                    .isEqualTo(1);
            assertThat(client.cancelAll(System.nanoTime())).isEqualTo(1);
            sender.join(30_000);
            assertThat(sender.isAlive()).as("the sender returned").isFalse();
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
        try (Socket refusing = LoopbackServer.refusingPort()) {
            String dead = "http://127.0.0.1:" + refusing.getLocalPort();
            assertThatThrownBy(() -> ReadinessProbe.probe(http, dead, Api.OPENAI_CHAT, "m", null, "K", false))
                    .isInstanceOf(TargetUnavailableException.class)
                    .hasMessageContaining("cannot connect")
                    .hasMessageContaining("-Dllmh.url");
        }
    }

    @Test
    void theApiKeyNeverAppearsInTheTargetsText() {
        assertThat(new Target("http://h", Api.OPENAI_CHAT, "m", "sk-secret", null, false).toString())
                .doesNotContain("sk-secret");
    }

    /**
     * Each event is stamped when it is read, not later (at the end of the stream, or of a batch):
     * the server writes each content event only once the client has stamped the one before, so a
     * client that stamped late would never get the next, and each stamp lies between the server's
     * write of its event and the server's sight of it. How small the read lag is (microseconds on
     * a quiet loopback) is a benchmark's figure ({@code readLag}, docs/performance.md), which a
     * unit test on a machine shared with a measurement cannot bound; it is printed here.
     */
    @Test
    void eventArrivalsAgreeWithTheServersOwnWriteInstants() throws Exception {
        AtomicReference<ReadSignal> reads = new AtomicReference<>();
        try (StreamingTestServer s = new StreamingTestServer(r -> StreamingTestServer.Script.sse(
                reads.get().gated(StreamingTestServer.chatStream(30, 15, "a", "b", "c", "d", "e"), 5)))) {
            long worst = 0;
            for (int k = 0; k < 8; k++) {
                reads.set(new ReadSignal());
                LlmClient client = new LlmClient(
                        transport,
                        new Target(s.baseUrl(), Api.OPENAI_CHAT, "m", null, null, false),
                        reads.get(),
                        timeouts);
                RequestTiming t = new RequestTiming(k, System.nanoTime(), true);
                client.send(client.prepare(ChatRequest.of("hi", 5), k), t);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
                // Steps: role chunk, then the five content chunks (steps 1..5), usage, [DONE].
                List<Long> written = s.writeInstants(Integer.toString(k));
                List<Long> seen = reads.get().seen();
                for (int i = 0; i < 5; i++) {
                    assertThat(t.eventNanos(i))
                            .as("event %d between the server's write of it and its sight of the client's stamp", i)
                            .isBetween(written.get(i + 1), seen.get(i));
                    if (k >= 3) {
                        worst = Math.max(worst, t.eventNanos(i) - written.get(i + 1));
                    }
                }
            }
            System.out.printf("worst event read lag after the server wrote it: %.1f us%n", worst / 1e3);
        }
    }

    @Test
    void theWarmUpReadsWholeInMemoryStreamsThroughTheStreamPathIntoCompletedRecords() {
        LlmClient client = new LlmClient(
                transport,
                new Target("http://127.0.0.1:9", Api.OPENAI_CHAT, "m", null, null, false),
                TokenCounter.contentEvents(),
                timeouts);
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

    /**
     * A token counter (one token per content event, as {@link TokenCounter#contentEvents()}) that
     * signals each content event the client has stamped: the client calls it on the reading thread
     * after taking the event's instant. Its gates let a server write a step only once the client has
     * stamped one more event, and note when the server saw that: the stamp lies before that instant.
     */
    private static final class ReadSignal implements TokenCounter {
        /** How long a gate waits for the client's next event before it ends the answer. */
        private static final long PATIENCE_SECONDS = 30;

        private final Semaphore read = new Semaphore(0);
        private final List<Long> seen = new CopyOnWriteArrayList<>();

        @Override
        public int tokens(String text) {
            read.release();
            return 1;
        }

        @Override
        public boolean needsText() {
            return false;
        }

        @Override
        public String source() {
            return TokenCounter.contentEvents().source();
        }

        /** Waits for the client to stamp one more content event; {@code false} if it did not in time. */
        boolean awaitRead() throws InterruptedException {
            return read.tryAcquire(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }

        /** When each gate saw the client's event ({@code nanoTime}), in order. */
        List<Long> seen() {
            return List.copyOf(seen);
        }

        /**
         * {@code stream} (a role-only chunk, {@code contentEvents} content chunks, then the rest, as
         * {@link StreamingTestServer#chatStream}) with each chunk after the first content chunk, up
         * to the one after the last, written only once the client has stamped the content event
         * before it.
         */
        List<StreamingTestServer.Step> gated(List<StreamingTestServer.Step> stream, int contentEvents) {
            List<StreamingTestServer.Step> steps = new ArrayList<>(stream);
            for (int i = 2; i <= contentEvents + 1; i++) {
                StreamingTestServer.Step step = steps.get(i);
                steps.set(i, new StreamingTestServer.Step(step.delayMillis(), step.text(), this::gate));
            }
            return steps;
        }

        private void gate() throws IOException, InterruptedException {
            if (!awaitRead()) {
                throw new IOException("the client stamped no next content event within " + PATIENCE_SECONDS + " s");
            }
            seen.add(System.nanoTime());
        }
    }
}
