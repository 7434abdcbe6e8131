package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of timeout is the same failure on both transports: category {@code timeout} and the
 * same detail, worded once ({@link ClientTimeouts#connectExpired} and the others), whether OkHttp
 * noticed it (a socket's exception, its call timeout) or the event loop (Netty's connect timer, the
 * stall watch). The embedded simulator on 127.0.0.1 stalls on request ({@code X-Llmh-Fault}); a
 * listener whose backlog is full makes a connect time out.
 */
class TimeoutWordingTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(10);
    /**
     * The simulator's stalls and slow headers, ms: longer than a test runs, so that only the
     * timeout under test can end the request, however late a loaded machine lets it fire.
     */
    private static final long STALL_MS = 600_000;

    private static SimServer sim;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.preset("zero"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** What each transport recorded for one request with {@code fault}. */
    private static Map<TransportKind, RequestTiming> onBothTransports(
            String baseUrl, ClientTimeouts timeouts, boolean streamed, String fault) {
        Map<TransportKind, RequestTiming> ended = new EnumMap<>(TransportKind.class);
        for (TransportKind kind : TransportKind.values()) {
            ClientTransport transport = kind.open(1, timeouts);
            try {
                LlmClient llm = new LlmClient(
                        transport,
                        new Target(baseUrl, Api.OPENAI_CHAT, sim.config().model(), null, null, true, streamed),
                        TokenCounter.contentEvents(),
                        timeouts);
                PreparedRequest prepared = TransportUnderTest.withFault(
                        llm.prepare(ChatRequest.of("Hi", 8).exactOutput(true), 1), fault);
                RequestTiming t = new RequestTiming(1, System.nanoTime(), true);
                llm.send(prepared, t);
                ended.put(kind, t);
            } finally {
                transport.close();
            }
        }
        return ended;
    }

    /** Both transports failed the request as a timeout with exactly {@code detail}. */
    private static void assertSameTimeout(Map<TransportKind, RequestTiming> ended, String detail) {
        assertThat(ended).hasSize(TransportKind.values().length);
        for (Map.Entry<TransportKind, RequestTiming> e : ended.entrySet()) {
            RequestTiming t = e.getValue();
            assertThat(t.outcome()).as(e.getKey() + ": " + t.failureDetail()).isEqualTo(Outcome.FAILED);
            assertThat(t.failure()).as(e.getKey() + ": " + t.failureDetail()).isEqualTo(FailureCategory.TIMEOUT);
            assertThat(t.failureDetail()).as(e.getKey().label()).isEqualTo(detail);
        }
    }

    @Test
    void noHeadersWithinTheFirstTokenTimeoutReadsAlikeOnBothTransports() {
        ClientTimeouts timeouts = new ClientTimeouts(LONG, SHORT, LONG, LONG);
        assertSameTimeout(
                onBothTransports(sim.baseUrl(), timeouts, true, "slow_headers;ms=" + STALL_MS),
                ClientTimeouts.firstTokenExpired(SHORT));
    }

    @Test
    void headersButNoContentWithinTheFirstTokenTimeoutReadsAlikeOnBothTransports() {
        ClientTimeouts timeouts = new ClientTimeouts(LONG, SHORT, LONG, LONG);
        assertSameTimeout(
                onBothTransports(sim.baseUrl(), timeouts, true, "stall;after=0;ms=" + STALL_MS),
                ClientTimeouts.firstTokenExpired(SHORT));
    }

    @Test
    void aStallMidStreamReadsAlikeOnBothTransports() {
        ClientTimeouts timeouts = new ClientTimeouts(LONG, LONG, SHORT, LONG);
        Map<TransportKind, RequestTiming> ended =
                onBothTransports(sim.baseUrl(), timeouts, true, "stall;after=2;ms=" + STALL_MS);
        long events = ended.get(TransportKind.THREADS).contentEvents();
        assertThat(events).as("content events before the stall").isPositive();
        assertSameTimeout(ended, ClientTimeouts.idleExpired(SHORT, events));
    }

    @Test
    void aStreamOutlastingTheTotalTimeoutReadsAlikeOnBothTransports() {
        ClientTimeouts timeouts = new ClientTimeouts(LONG, LONG, LONG, SHORT);
        assertSameTimeout(
                onBothTransports(sim.baseUrl(), timeouts, true, "stall;after=1;ms=" + STALL_MS),
                ClientTimeouts.totalExpired(SHORT));
    }

    @Test
    void aWholeAnswerOutlastingTheTotalTimeoutReadsAlikeOnBothTransports() {
        // OkHttp notices it by the read timeout of a non-streamed call, the event loop by its timer.
        ClientTimeouts timeouts = new ClientTimeouts(LONG, LONG, LONG, SHORT);
        assertSameTimeout(
                onBothTransports(sim.baseUrl(), timeouts, false, "slow_headers;ms=" + STALL_MS),
                ClientTimeouts.totalExpired(SHORT));
        assertSameTimeout(
                onBothTransports(sim.baseUrl(), timeouts, false, "stall;after=1;ms=" + STALL_MS),
                ClientTimeouts.totalExpired(SHORT));
    }

    /**
     * A listener on 127.0.0.1 that never accepts, its backlog filled: Linux drops the next SYN, so a
     * connect hangs until its timeout (skipped where the kernel refuses or accepts instead).
     */
    @Test
    void aConnectThatTimesOutReadsAlikeOnBothTransports() throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            boolean hangs = false;
            try {
                for (int i = 0; i < 16 && !hangs; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(address, 200);
                        queued.add(s);
                    } catch (SocketTimeoutException e) {
                        s.close();
                        hangs = true;
                    }
                }
                assumeTrue(hangs, "this kernel does not leave a connect to a full backlog hanging");
                ClientTimeouts timeouts = new ClientTimeouts(SHORT, LONG, LONG, LONG);
                assertSameTimeout(
                        onBothTransports("http://127.0.0.1:" + full.getLocalPort(), timeouts, true, null),
                        ClientTimeouts.connectExpired(SHORT));
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }
}
