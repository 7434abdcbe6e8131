package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimServer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-loop transport against the simulator on loopback: it sends at the intended instant
 * (never before: the simulator's receipt instant is on the same clock), a late request goes at
 * once with its lateness recorded as dispatch lag, many streams run at once on its one thread,
 * connections are reused, and a request cancelled before its instant is never sent. Structure and
 * accounting only: no assertion on how many microseconds anything took.
 */
class EventLoopTransportTest {
    private static final long MS = 1_000_000L;
    private static final ClientTimeouts TIMEOUTS = LoopSimulator.TIMEOUTS;
    private static LoopSimulator loop;
    private static SimServer sim;
    private static EventLoopTransport transport;
    private static LlmClient client;

    @BeforeAll
    static void start() {
        loop = LoopSimulator.start();
        sim = loop.sim;
        transport = loop.transport;
        client = loop.client;
    }

    @AfterAll
    static void stop() {
        loop.close();
    }

    private static RequestTiming send(long id, long intendedStart, int tokens) {
        RequestTiming t = new RequestTiming(id, intendedStart, true);
        client.send(client.prepare(ChatRequest.of("Hi", tokens).exactOutput(true), id), t);
        return t;
    }

    private static GroundTruth truth(long id) {
        return sim.groundTruth(false).stream()
                .filter(g -> Long.toString(id).equals(g.requestId()))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void aScheduledRequestIsSentAtItsInstantNotBeforeAndItsLagIsRecorded() {
        long intended = System.nanoTime() + 30 * MS;
        RequestTiming t = send(100, intended, 8);
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.contentEvents()).isEqualTo(8);
        assertThat(t.dispatchLagNanos()).as("sent - intended").isGreaterThanOrEqualTo(0);
        assertThat(truth(100).receivedNanos())
                .as("the simulator received it after its instant")
                .isGreaterThanOrEqualTo(intended);
    }

    @Test
    void aRequestBuiltLateIsSentAtOnceAndItsLatenessCountsAsDispatchLag() {
        long intended = System.nanoTime() - 20 * MS;
        RequestTiming t = send(101, intended, 4);
        assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
        assertThat(t.dispatchLagNanos()).isGreaterThanOrEqualTo(20 * MS);
    }

    @Test
    void manyConcurrentStreamsAllCompleteOnTheOneLoopThread() throws Exception {
        int n = 200;
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            long intended = System.nanoTime() + 50 * MS;
            List<Future<RequestTiming>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long id = 1000 + i;
                all.add(threads.submit(() -> send(id, intended, 32)));
            }
            for (Future<RequestTiming> f : all) {
                RequestTiming t = f.get(30, TimeUnit.SECONDS);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
                assertThat(t.contentEvents()).isEqualTo(32);
                assertThat(t.outputTokens()).isEqualTo(32);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(client.inFlight()).isZero();
        assertThat(transport.connectionCount())
                .as("one connection per concurrent stream, at most")
                .isBetween(1, n);
    }

    @Test
    void sequentialRequestsReuseOneKeepAliveConnection() {
        try (EventLoopTransport own = new EventLoopTransport(TIMEOUTS)) {
            LlmClient c = loop.chatClient(own);
            for (int i = 0; i < 10; i++) {
                RequestTiming t = new RequestTiming(2000 + i, System.nanoTime(), true);
                c.send(c.prepare(ChatRequest.of("Hi", 4).exactOutput(true), 2000 + i), t);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            }
            assertThat(own.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void aRequestCancelledBeforeItsInstantIsNeverSent() throws Exception {
        long id = 3000;
        RequestTiming t = new RequestTiming(id, System.nanoTime() + 10_000 * MS, true);
        Thread sender = new Thread(() -> client.send(client.prepare(ChatRequest.of("Hi", 4), id), t));
        sender.start();
        long deadline = System.nanoTime() + 5_000 * MS;
        while (client.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(client.cancelAll(System.nanoTime())).isEqualTo(1);
        sender.join(5_000);
        assertThat(sender.isAlive()).isFalse();
        assertThat(t.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(t.isSent()).isFalse();
        assertThat(sim.groundTruth(false)).noneMatch(g -> Long.toString(id).equals(g.requestId()));
    }

    @Test
    void theTransportIsChosenByName() {
        assertThat(TransportKind.parse("event-loop")).isEqualTo(TransportKind.EVENT_LOOP);
        assertThat(TransportKind.parse(" Threads ")).isEqualTo(TransportKind.THREADS);
        assertThat(TransportKind.parse(null)).isEqualTo(TransportKind.fromProperty());
        assertThatThrownBy(() -> TransportKind.parse("netty"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads or event-loop");
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").equals("amd64");
        // The native library ships for Linux x86-64 only; elsewhere the loop falls back to NIO.
        assertThat(transport.nativeEpoll()).isEqualTo(linuxX64);
    }

    @Test
    void aClosedTransportFailsARequestInsteadOfHangingIt() {
        EventLoopTransport closed = new EventLoopTransport(TIMEOUTS);
        closed.close();
        LlmClient c = loop.chatClient(closed);
        RequestTiming t = new RequestTiming(4000, System.nanoTime(), true);
        c.send(c.prepare(ChatRequest.of("Hi", 4), 4000), t);
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        // Hanging, it would end at a timeout at the soonest; the connect timeout is the shortest.
        assertThat(Duration.ofNanos(t.end() - t.intendedStart())).isLessThan(TIMEOUTS.connect());
    }

    @Test
    void anHttpsTargetIsReadThroughTheJdksTlsWithItsHostNameChecked(@TempDir Path dir) throws Exception {
        // A self-signed certificate for 127.0.0.1, made with the JDK's keytool: the server
        // presents it, and the transport trusts it (and checks the address against it).
        Path store = dir.resolve("server.p12");
        char[] pass = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "sim",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, pass);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ks);

        try (MockWebServer server = new MockWebServer();
                EventLoopTransport tls = new EventLoopTransport(TIMEOUTS, System.err, trust)) {
            server.useHttps(serverTls.getSocketFactory());
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                    + "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"
                    + "data: [DONE]\n\n";
            for (int i = 0; i < 2; i++) {
                server.enqueue(new MockResponse.Builder()
                        .addHeader("Content-Type", "text/event-stream")
                        .body(stream)
                        .build());
            }
            LlmClient c = new LlmClient(
                    tls,
                    new Target("https://127.0.0.1:" + server.getPort(), Api.OPENAI_CHAT, "m", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            for (int i = 0; i < 2; i++) {
                RequestTiming t = new RequestTiming(5000 + i, System.nanoTime(), true);
                c.send(c.prepare(ChatRequest.of("Hi", 2), 5000 + i), t);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
                assertThat(t.contentEvents()).isEqualTo(2);
            }
            assertThat(tls.connectionCount()).as("the TLS connection is reused").isEqualTo(1);
        }
    }

    // The transport's own HTTP/1.1 framing, against a server that writes exactly the given bytes.

    /**
     * Long enough that no pause of a loaded machine (a build at idle priority beside a measurement)
     * ends one of these requests by a timeout: none of these tests is about one, and the one that
     * checks an answer is not held until a timeout compares with these.
     */
    private static final ClientTimeouts FRAMING = new ClientTimeouts(
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));

    private static final String EVENT = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
    private static final String DONE = "data: [DONE]\n\n";
    private static final String SSE_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    private static final String SSE = SSE_HEAD + chunk(EVENT) + chunk(DONE) + "0\r\n\r\n";

    private static RequestTiming sendTo(EventLoopTransport own, String baseUrl, long id) {
        LlmClient c = new LlmClient(
                own,
                new Target(baseUrl, Api.OPENAI_CHAT, "m", null, null, false),
                TokenCounter.contentEvents(),
                FRAMING);
        RequestTiming t = new RequestTiming(id, System.nanoTime(), true);
        c.send(c.prepare(ChatRequest.of("Hi", 2), id), t);
        return t;
    }

    @Test
    void aMalformedChunkSizeFailsTheStreamAsTruncatedNamingTheLine() throws Exception {
        try (RawHttpServer server =
                        new RawHttpServer(RawHttpServer.Answer.of(SSE_HEAD + chunk(EVENT) + "zz\r\n", false));
                EventLoopTransport own = new EventLoopTransport(FRAMING)) {
            RequestTiming t = sendTo(own, server.baseUrl(), 6000);
            assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.STREAM_TRUNCATED);
            assertThat(t.failureDetail())
                    .isEqualTo("after 1 content events: ProtocolException: expected chunk size and optional"
                            + " extensions but was \"zz\"");
        }
    }

    @Test
    void aMalformedStatusLineIsAConnectionFailureNamingTheLine() throws Exception {
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.Answer.of("HTTP/1.1 abc\r\n\r\n", false));
                EventLoopTransport own = new EventLoopTransport(FRAMING)) {
            RequestTiming t = sendTo(own, server.baseUrl(), 6100);
            assertThat(t.failure()).as(t.failureDetail()).isEqualTo(FailureCategory.CONNECTION);
            assertThat(t.failureDetail()).isEqualTo("ProtocolException: Unexpected status line: HTTP/1.1 abc");
        }
    }

    @Test
    void answersThatForbidReuseAreReadWholeAndTheirConnectionsAreNotReused() throws Exception {
        String body = EVENT + DONE;
        try (RawHttpServer server = new RawHttpServer(
                        RawHttpServer.Answer.of(
                                "HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + body.length()
                                        + "\r\n\r\n" + body,
                                false),
                        RawHttpServer.Answer.of(SSE.replace("chunked\r\n", "chunked\r\nConnection: close\r\n"), false),
                        RawHttpServer.Answer.of(
                                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + body, true),
                        RawHttpServer.Answer.of(SSE, false),
                        RawHttpServer.Answer.of(SSE, false));
                EventLoopTransport own = new EventLoopTransport(FRAMING)) {
            for (int i = 0; i < 5; i++) {
                RequestTiming t = sendTo(own, server.baseUrl(), 6200 + i);
                assertThat(t.outcome())
                        .as("answer %d: %s", i, t.failureDetail())
                        .isEqualTo(Outcome.COMPLETED);
                assertThat(t.contentEvents()).isEqualTo(1);
            }
            assertThat(server.requests()).isEqualTo(5);
            assertThat(server.connections())
                    .as("HTTP/1.0, Connection: close and a body until the close each end their connection;"
                            + " the last answer's is reused")
                    .isEqualTo(4);
        }
    }

    @Test
    void aRefusedAnswerKeepsItsSnippetAndALongOneDoesNotWaitForItsEnd() throws Exception {
        String endless = "HTTP/1.1 503 Busy\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk("x".repeat(600));
        try (RawHttpServer server = new RawHttpServer(
                        RawHttpServer.Answer.of(endless, false),
                        RawHttpServer.Answer.of("HTTP/1.1 500 Broken Thing\r\nContent-Length: 0\r\n\r\n", false));
                EventLoopTransport own = new EventLoopTransport(FRAMING)) {
            RequestTiming busy = sendTo(own, server.baseUrl(), 6300);
            assertThat(busy.failure()).isEqualTo(FailureCategory.HTTP_5XX);
            assertThat(busy.failureDetail()).isEqualTo("HTTP 503: " + "x".repeat(512));
            assertThat(Duration.ofNanos(busy.end() - busy.intendedStart()))
                    .as("not held until the first-token timeout")
                    .isLessThan(FRAMING.firstToken());
            RequestTiming broken = sendTo(own, server.baseUrl(), 6301);
            assertThat(broken.failure()).isEqualTo(FailureCategory.HTTP_5XX);
            assertThat(broken.failureDetail()).isEqualTo("HTTP 500: Broken Thing");
            assertThat(server.connections())
                    .as("the endless body's connection was dropped")
                    .isEqualTo(2);
        }
    }

    @Test
    void bytesAfterTheAnswersEndCloseItsConnection() throws Exception {
        try (RawHttpServer server = new RawHttpServer(
                        RawHttpServer.Answer.of(SSE + "HTTP/1.1 200 OK\r\n", false),
                        RawHttpServer.Answer.of(SSE, false));
                EventLoopTransport own = new EventLoopTransport(FRAMING)) {
            for (int i = 0; i < 2; i++) {
                RequestTiming t = sendTo(own, server.baseUrl(), 6400 + i);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
            }
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aResponsesContentTypeIsParsedOnceAndReadAsOkHttpReadsIt() {
        for (String header :
                new String[] {"text/event-stream", "text/event-stream; charset=utf-8", "application/json", "not a type"
                }) {
            okhttp3.MediaType first = transport.mediaType(header);
            okhttp3.MediaType expected = okhttp3.MediaType.parse(header);
            assertThat(first).isEqualTo(expected);
            // The same header again (every response of a server has it): no second parse.
            if (first != null) {
                assertThat(transport.mediaType(new String(header))).isSameAs(first);
            }
        }
        assertThat(transport.mediaType(null)).isNull();
    }
}
