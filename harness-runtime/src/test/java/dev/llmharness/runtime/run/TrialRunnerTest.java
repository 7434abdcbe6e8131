package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.ClientTransport;
import dev.llmharness.runtime.client.EventLoopTransport;
import dev.llmharness.runtime.client.HttpClients;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.OkHttpTransport;
import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.client.StreamingTestServer.Step;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TransportKind.class)
class TrialRunnerTest {
    /**
     * Every trial runs on both transports: on the event loop the open loop's requests have no
     * thread of their own (built on the dispatcher, ended and recorded on the loop), and the
     * accounting, drain and cancellation must come out the same.
     */
    @Parameter
    TransportKind transportKind;

    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofMillis(800), Duration.ofMillis(400), Duration.ofSeconds(20));
    private final OkHttpClient http = HttpClients.forLoad(64, TIMEOUTS);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private ClientTransport transport;

    @BeforeEach
    void open() {
        transport = transportKind == TransportKind.THREADS
                ? new OkHttpTransport(http, TIMEOUTS, false)
                : new EventLoopTransport(TIMEOUTS);
    }

    @AfterEach
    void close() {
        transport.close();
        HttpClients.close(http);
    }

    private LlmClient client(StreamingTestServer server) {
        return new LlmClient(
                transport,
                new Target(server.baseUrl(), Api.OPENAI_CHAT, "test-model", null, null, false),
                TokenCounter.contentEvents(),
                TIMEOUTS);
    }

    private TrialResult run(StreamingTestServer server, TrialSpec spec) throws InterruptedException {
        return run(server, spec, Preopen.fromProperty());
    }

    private TrialResult run(StreamingTestServer server, TrialSpec spec, Preopen preopen) throws InterruptedException {
        LlmClient client = client(server);
        return new TrialRunner(spec, TestTrials.CHAT, TestTrials.PROMPTS, client, null, new PrintStream(log))
                .preopen(preopen)
                .run();
    }

    @Test
    void connectionsForThePeakAreOpenedBeforeTheLoadAndTakenByItsRequests() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b")))) {
            TrialSpec spec = TestTrials.trial(
                    "closed",
                    new ClosedLoopModel(4, Duration.ZERO),
                    Phase.ofRequests(4),
                    Phase.ofRequests(20),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec, Preopen.AUTO);
            // Four workers never hold more than four connections: all four were there before.
            assertThat(r.window().connections()).isEqualTo(new TrialResult.Connections(4, 4, 0, 0, "its 4 workers"));
            assertThat(r.counts().sent()).isEqualTo(20);
            assertThat(r.counts().completed()).isEqualTo(20);
            // The server saw the trial's requests only: the threads transport's probes are GETs of
            // the model list, which are not scripted requests.
            assertThat(server.received()).hasSize(24);
        }
    }

    @Test
    void withoutPreopeningTheRequestsOpenTheirOwnConnections() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b")))) {
            TrialSpec spec = TestTrials.trial(
                    "closed",
                    new ClosedLoopModel(2, Duration.ZERO),
                    Phase.NONE,
                    Phase.ofRequests(6),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec, Preopen.OFF);
            TrialResult.Connections c = r.window().connections();
            assertThat(c.wanted()).isZero();
            assertThat(c.preopened()).isZero();
            assertThat(c.openedByRequests()).isBetween(1L, 2L);
            assertThat(r.counts().completed()).isEqualTo(6);
        }
    }

    @Test
    void openLoopTrialMeasuresOnlyTheWindowAndFillsEveryField() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(30, 10, "a", "b", "c")))) {
            TrialSpec spec = TestTrials.trial(
                    "open",
                    new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                    Phase.ofRequests(5),
                    Phase.ofRequests(30),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.counts().sent()).isEqualTo(30);
            assertThat(r.counts().completed()).isEqualTo(30);
            assertThat(r.counts().failed()).isZero();
            assertThat(r.counts().cancelled()).isZero();
            assertThat(r.metrics())
                    .containsOnlyKeys(
                            "ttft",
                            "ttftFromSend",
                            "dispatchLag",
                            "itl",
                            "tpot",
                            "e2e",
                            "inputTokens",
                            "outputTokens",
                            "requestBuild");
            MetricResult ttft = r.metrics().get("ttft");
            assertThat(ttft.count()).isEqualTo(30);
            assertThat(ttft.min()).isGreaterThanOrEqualTo(30.0);
            assertThat(ttft.decodeHistogram().getTotalCount()).isEqualTo(30);
            assertThat(r.metrics().get("itl").count())
                    .as("two gaps per request")
                    .isEqualTo(60);
            assertThat(r.metrics().get("itl").p50()).isBetween(9.0, 60.0);
            assertThat(r.tokens().output()).isEqualTo(90);
            assertThat(r.tokens().input()).isEqualTo(30 * 7);
            assertThat(r.tokens().source()).isEqualTo("usage");
            assertThat(r.tokens().requestedOutput()).isEqualTo(30 * 4);
            assertThat(r.throughput().requestsPerSecond()).isBetween(20.0, 80.0);
            assertThat(r.window().warmupSeconds()).isBetween(0.09, 0.2);
            assertThat(r.timeline()).isNotEmpty();
            assertThat(r.timeline().stream()
                            .mapToLong(TrialResult.Interval::completed)
                            .sum())
                    .isEqualTo(30);
            assertThat(r.load().model()).isEqualTo("open");
            assertThat(r.load().rate()).isEqualTo(50.0);
            assertThat(r.workload().description()).isEqualTo("CHAT: input 256, output 128");
            assertThat(r.errorRate()).isEqualTo(0.0);
            Set<String> ids = server.received().stream()
                    .map(x -> x.headers().get("x-llmh-request-id"))
                    .collect(Collectors.toSet());
            assertThat(ids).hasSize(35).contains("0", "34");
        }
    }

    @Test
    void badInputBecomesCategorisedFailuresAndTheTrialCarriesOn() throws Exception {
        String ok = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n";
        try (StreamingTestServer server = new StreamingTestServer(r -> {
            int id = Integer.parseInt(r.headers().get("x-llmh-request-id"));
            return switch (id % 8) {
                case 0 -> new Script(429, "application/json", List.of(new Step(0, "{}")), false);
                case 1 -> new Script(500, "application/json", List.of(new Step(0, "{}")), false);
                case 2 -> new Script(503, "application/json", List.of(new Step(0, "{}")), false);
                case 3 -> Script.sse(List.of(new Step(0, ok), new Step(0, "data: not json\n\n")));
                case 4 -> Script.sse(List.of(new Step(0, "data: {\"id\":1}\n\n")));
                case 5 -> new Script(200, "text/event-stream", List.of(new Step(0, ok)), true);
                case 6 -> Script.sse(List.of(new Step(0, ok), new Step(1_500, "data: [DONE]\n\n")));
                default -> Script.sse(StreamingTestServer.chatStream(0, 0, "a", "b"));
            };
        })) {
            TrialSpec spec = TestTrials.trial(
                    "bad",
                    new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                    Phase.NONE,
                    Phase.ofRequests(16),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.counts().sent()).isEqualTo(16);
            assertThat(r.counts().completed()).isEqualTo(2);
            assertThat(r.counts().failed()).isEqualTo(14);
            assertThat(r.counts().failures())
                    .containsEntry("http_429", 2L)
                    .containsEntry("http_5xx", 4L)
                    // {"id":1} alone is a keep-alive, ignored; its stream then ends unfinished.
                    .containsEntry("protocol", 2L)
                    .containsEntry("stream_truncated", 4L)
                    .containsEntry("timeout", 2L);
            assertThat(r.errorRate()).isEqualTo(14 / 16.0);
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("14 of 16 requests failed"));
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("2 events carried neither choices nor usage"));
            // Why they failed is kept, in words, and every failure is counted under a message.
            r.counts()
                    .failureMessages()
                    .forEach((category, m) -> assertThat(m.messages().stream()
                                            .mapToLong(TrialResult.FailureMessage::count)
                                            .sum()
                                    + m.others())
                            .as(category)
                            .isEqualTo(r.counts().failures().get(category)));
            assertThat(r.counts().failureMessages())
                    .containsOnlyKeys("http_429", "http_5xx", "protocol", "stream_truncated", "timeout");
            assertThat(r.counts().failureMessages().get("http_5xx").messages())
                    .extracting(TrialResult.FailureMessage::message)
                    .containsExactlyInAnyOrder("HTTP 500: {}", "HTTP 503: {}");
            assertThat(r.counts().failureMessages().get("protocol").messages())
                    .extracting(TrialResult.FailureMessage::message)
                    .anyMatch(m -> m.contains("JSON"));
        }
    }

    @Test
    void theServersTokenCountsAreKeptBesideTheIntendedOnesAndADifferenceIsWarned() throws Exception {
        // The prompts say 8 tokens; this server reports 7 prompt tokens and 3 output tokens.
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a", "b", "c")))) {
            TrialSpec spec = TestTrials.trial(
                    "tokens",
                    new OpenLoopModel(Arrival.CONSTANT, 100, 0),
                    Phase.NONE,
                    Phase.ofRequests(10),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.counts().completed()).isEqualTo(10);
            TrialResult.Tokens t = r.tokens();
            assertThat(t.intendedInput()).isEqualTo(80);
            assertThat(t.serverInput()).isEqualTo(70);
            assertThat(t.input()).as("the metrics use the server's count").isEqualTo(70);
            assertThat(t.serverOutput()).isEqualTo(30);
            assertThat(t.countedOutput()).as("one per content event").isEqualTo(30);
            assertThat(t.requestedOutput()).isEqualTo(40);
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith("the server counted 70 input tokens where the workload intended 80"
                            + " (-12.5 %, 10 requests)"));
            assertThat(r.warnings())
                    .as("the output length was not enforced: 3 of max_tokens 4 is no mismatch")
                    .noneMatch(w -> w.startsWith("the server reported"));
        }
    }

    @Test
    void completionsWithoutContentAreReportedAsNothingMeasured() throws Exception {
        List<Step> empty = List.of(
                new Step(
                        0,
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"),
                new Step(0, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\n\n"),
                new Step(0, "data: [DONE]\n\n"));
        try (StreamingTestServer server = new StreamingTestServer(r -> Script.sse(empty))) {
            SloSpec slo = new SloSpec(
                    List.of(dev.llmharness.api.spi.LatencyBound.parse(
                            dev.llmharness.api.spi.SloMetric.TPOT, "p99 <= 100ms")),
                    java.util.OptionalDouble.empty());
            TrialSpec spec = TestTrials.trial(
                    "empty",
                    new OpenLoopModel(Arrival.CONSTANT, 100, 0),
                    Phase.NONE,
                    Phase.ofRequests(5),
                    Duration.ofSeconds(5),
                    slo);
            TrialResult r = run(server, spec);
            assertThat(r.counts().completed()).isEqualTo(5);
            assertThat(r.metrics().get("ttft").count()).isZero();
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith(
                            "nothing was measured: the 5 completed requests carried no content" + " event"));
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith("the objective \"tpot p99 <= 100ms\" had nothing to judge")
                            && w.contains("2 or more output tokens"));
        }
    }

    @Test
    void aTrialWhoseRequestsAllFailSaysNothingWasMeasured() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> new Script(200, "application/json", List.of(new Step(0, "{}")), false))) {
            TrialSpec spec = TestTrials.trial(
                    "allfail",
                    new OpenLoopModel(Arrival.CONSTANT, 100, 0),
                    Phase.NONE,
                    Phase.ofRequests(5),
                    Duration.ofSeconds(5),
                    new SloSpec(List.of(), java.util.OptionalDouble.of(0.01)));
            TrialResult r = run(server, spec);
            assertThat(r.counts().failed()).isEqualTo(5);
            assertThat(r.warnings())
                    .anyMatch(w -> w.equals("nothing was measured: none of the 5 requests completed (5 failed, 0"
                            + " cancelled); latency and throughput figures are empty"));
            assertThat(r.counts().failureMessages().get("protocol").messages())
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(m.message()).startsWith("expected a text/event-stream answer, got application/json");
                        assertThat(m.count()).isEqualTo(5);
                    });
        }
    }

    @Test
    void anOpenLoopWindowLastsItsDeclaredLengthEvenAfterItsLastArrival() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b")))) {
            // Arrivals at 0, 0.5 and 1.0 s of a 1.5 s window: the window must not end at 1.0 s.
            TrialSpec spec = TestTrials.trial(
                    "window",
                    new OpenLoopModel(Arrival.CONSTANT, 2, 0),
                    Phase.NONE,
                    Phase.ofDuration(Duration.ofMillis(1500)),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.window().measurementSeconds()).isEqualTo(1.5);
            assertThat(r.counts().sent()).isEqualTo(3);
            assertThat(r.window().completedInWindow() + r.window().completedInDrain())
                    .as("every measured completion is inside the window or in the drain")
                    .isEqualTo(r.counts().completed());
            assertThat(r.throughput().requestsPerSecond())
                    .as("completions inside the window over the declared 1.5 s")
                    .isEqualTo(r.window().completedInWindow() / 1.5);
            assertThat(r.warnings())
                    .as("3 requests are too few for a throughput figure")
                    .anyMatch(w -> w.contains("only 3.0 requests expected"));
        }
    }

    @Test
    void aTimedWindowThatNoRequestStartsInLastsItsDeclaredLength() throws Exception {
        List<Step> slow = List.of(
                new Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new Step(300, "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"),
                new Step(300, "data: [DONE]\n\n"));
        try (StreamingTestServer server = new StreamingTestServer(r -> Script.sse(slow))) {
            // Gaps of 300 ms stay under the 400 ms read timeout. One worker: its first request, due in the warmup, ends
            // about 0.6 s in, inside the
            // window [0.3 s, 1.3 s); it then thinks for 5 s, so no request is due in the window.
            TrialSpec spec = TestTrials.trial(
                    "thinking",
                    new ClosedLoopModel(1, Duration.ofSeconds(5)),
                    Phase.ofDuration(Duration.ofMillis(300)),
                    Phase.ofDuration(Duration.ofSeconds(1)),
                    Duration.ofSeconds(2),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.window().warmupSeconds()).isEqualTo(0.3);
            assertThat(r.window().measurementSeconds())
                    .as("the declared window, not the zero between two requests that never came")
                    .isEqualTo(1.0);
            assertThat(r.window().completedInWindow()).isEqualTo(1);
            assertThat(r.throughput().requestsPerSecond())
                    .as("the warmup's request completed inside the window, over its 1 s")
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aServerThatCannotKeepUpIsNamedSaturated() throws Exception {
        List<Step> slow = List.of(
                new Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new Step(150, "data: [DONE]\n\n"));
        try (StreamingTestServer server = new StreamingTestServer(r -> Script.sse(slow))) {
            // At most 2 in flight, 150 ms each: about 13 requests/s served of 40 offered.
            TrialSpec spec = TestTrials.trial(
                    "saturated",
                    new OpenLoopModel(Arrival.CONSTANT, 40, 2),
                    Phase.ofDuration(Duration.ofMillis(300)),
                    Phase.ofDuration(Duration.ofSeconds(1)),
                    Duration.ofMillis(300),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.throughput().requestsPerSecond()).isLessThan(30.0);
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith("saturated: achieved")
                            && w.contains("of 40 offered")
                            && w.contains(" completed inside the 1.0 s window, warmup requests included; "
                                    + r.window().completedInDrain() + " measured requests completed after it"));
        }
    }

    @Test
    void aServerThatFailsFastIsNotCalledSaturated() throws Exception {
        try (StreamingTestServer server = new StreamingTestServer(
                r -> new Script(500, "application/json", List.of(new Step(0, "{\"error\":\"down\"}")), false))) {
            // 40 offered over 1 s, every one answered at once with HTTP 500: nothing completes, but
            // the server kept up; what is wrong is its failures, which have their own warning.
            TrialSpec spec = TestTrials.trial(
                    "failfast",
                    new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                    Phase.ofDuration(Duration.ofMillis(200)),
                    Phase.ofDuration(Duration.ofSeconds(1)),
                    Duration.ofSeconds(2),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.counts().completed()).isZero();
            assertThat(r.counts().failed()).isGreaterThanOrEqualTo(35);
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("nothing was measured"));
            assertThat(r.warnings()).noneMatch(w -> w.startsWith("saturated"));
        }
    }

    @Test
    void requestsOutlivingTheDrainTimeoutAreCancelledAndAccounted() throws Exception {
        List<Step> slow = List.of(
                new Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new Step(300, "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n"),
                new Step(300, "data: {\"choices\":[{\"delta\":{\"content\":\"c\"}}]}\n\n"),
                new Step(300, "data: [DONE]\n\n"));
        try (StreamingTestServer server = new StreamingTestServer(r -> Script.sse(slow))) {
            TrialSpec spec = TestTrials.trial(
                    "drain",
                    new ClosedLoopModel(2, Duration.ZERO),
                    Phase.NONE,
                    Phase.ofDuration(Duration.ofMillis(200)),
                    Duration.ofMillis(200),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(r.counts().sent()).isEqualTo(2);
            assertThat(r.counts().cancelled()).isEqualTo(2);
            assertThat(r.counts().sent())
                    .isEqualTo(r.counts().completed()
                            + r.counts().failed()
                            + r.counts().cancelled());
            assertThat(r.warnings()).anyMatch(w -> w.contains("drain timeout"));
            assertThat(r.window().drainSeconds()).isBetween(0.15, 2.0);
            assertThat(server.maxConcurrent()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void closedLoopNeverExceedsItsConcurrencyAgainstAServer() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b")))) {
            TrialSpec spec = TestTrials.trial(
                    "closed",
                    new ClosedLoopModel(3, Duration.ZERO),
                    Phase.ofDuration(Duration.ofMillis(100)),
                    Phase.ofDuration(Duration.ofMillis(400)),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(server.maxConcurrent()).isEqualTo(3);
            assertThat(r.counts().completed()).isGreaterThan(10);
            assertThat(r.counts().sent()).isEqualTo(r.counts().completed());
            assertThat(r.load().concurrency()).isEqualTo(3);
            assertThat(r.window().measurementSeconds()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void aSlowBenchmarkMethodIsTimedAndReportedAndAThrowingOneIsAClientFailure() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")))) {
            TrialSpec spec = TestTrials.trial(
                    "slow",
                    new OpenLoopModel(Arrival.CONSTANT, 100, 0),
                    Phase.NONE,
                    Phase.ofRequests(10),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            LlmClient client = client(server);
            dev.llmharness.api.spi.RequestFactory slowOrThrowing = prompt -> {
                if (prompt.index() == 3) {
                    throw new IllegalStateException("benchmark bug");
                }
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return dev.llmharness.api.ChatRequest.of(prompt);
            };
            java.util.Map<Long, String> endedOn = new java.util.concurrent.ConcurrentHashMap<>();
            TrialResult r = new TrialRunner(
                            spec, slowOrThrowing, TestTrials.PROMPTS, client, null, new PrintStream(log))
                    .onRequestEnded(
                            t -> endedOn.put(t.index(), Thread.currentThread().getName()))
                    .run();
            if (transportKind == TransportKind.EVENT_LOOP) {
                // Built on the dispatcher, a 3 ms method overruns the 2 ms lead and would delay the
                // requests after it: after five overruns in a row (the throwing call neither counts
                // nor breaks the row; it ends at once, on the dispatcher), requests have threads.
                assertThat(endedOn).hasSize(10);
                for (long i : new long[] {0, 1, 2, 4, 5}) {
                    assertThat(endedOn.get(i)).startsWith("llmh-loop");
                }
                assertThat(endedOn.get(3L)).startsWith("llmh-dispatch");
                for (long i = 6; i < 10; i++) {
                    // A request thread: platform threads are named, virtual ones (JDK 21+) are not.
                    assertThat(endedOn.get(i)).doesNotStartWith("llmh-loop").doesNotStartWith("llmh-dispatch");
                }
            }
            assertThat(r.counts().failures()).containsEntry("client", 1L);
            assertThat(r.counts().completed()).isEqualTo(9);
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("the benchmark method took more than 1 ms in 9"));
            assertThat(r.metrics().get("requestBuild").min()).isGreaterThanOrEqualTo(3.0);
            // The open loop hands tickets over PREPARE_LEAD_NANOS early: only the overrun is lag.
            assertThat(r.metrics().get("dispatchLag").min())
                    .isGreaterThanOrEqualTo(3.0 - dev.llmharness.runtime.load.LoadDriver.PREPARE_LEAD_NANOS / 1e6);
        }
    }

    @Test
    void onTheEventLoopAnOpenLoopRequestHasNoThreadOfItsOwnAndIsRecordedOnTheLoop() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b")))) {
            TrialSpec spec = TestTrials.trial(
                    "open",
                    new OpenLoopModel(Arrival.CONSTANT, 200, 0),
                    Phase.ofRequests(5),
                    Phase.ofRequests(40),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            java.util.Map<Long, String> endedOn = new java.util.concurrent.ConcurrentHashMap<>();
            TrialResult r = new TrialRunner(
                            spec, TestTrials.CHAT, TestTrials.PROMPTS, client(server), null, new PrintStream(log))
                    .onRequestEnded(
                            t -> endedOn.put(t.index(), Thread.currentThread().getName()))
                    .run();
            assertThat(r.counts().sent()).isEqualTo(40);
            assertThat(r.counts().completed()).isEqualTo(40);
            assertThat(r.metrics().get("ttft").count()).isEqualTo(40);
            assertThat(endedOn).hasSize(45);
            boolean onLoop = transportKind == TransportKind.EVENT_LOOP;
            // The threads transport ends each request on its own thread (named on JDK 17; a virtual
            // thread on JDK 21+ has no name), the event loop every one on its loop thread.
            assertThat(endedOn.values())
                    .allMatch(name -> name.startsWith("llmh-loop") == onLoop, "on the loop: " + onLoop);
        }
    }

    @Test
    void onTheEventLoopOverrunsNotInARowKeepRequestsOnTheLoop() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")))) {
            TrialSpec spec = TestTrials.trial(
                    "now-and-then",
                    new OpenLoopModel(Arrival.CONSTANT, 100, 0),
                    Phase.NONE,
                    Phase.ofRequests(12),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            dev.llmharness.api.spi.RequestFactory everyOtherSlow = prompt -> {
                if (prompt.index() % 2 == 0) {
                    try {
                        Thread.sleep(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return dev.llmharness.api.ChatRequest.of(prompt);
            };
            java.util.Map<Long, String> endedOn = new java.util.concurrent.ConcurrentHashMap<>();
            TrialResult r = new TrialRunner(
                            spec, everyOtherSlow, TestTrials.PROMPTS, client(server), null, new PrintStream(log))
                    .onRequestEnded(
                            t -> endedOn.put(t.index(), Thread.currentThread().getName()))
                    .run();
            assertThat(r.counts().completed()).isEqualTo(12);
            boolean onLoop = transportKind == TransportKind.EVENT_LOOP;
            assertThat(endedOn.values()).hasSize(12).allMatch(name -> name.startsWith("llmh-loop") == onLoop);
        }
    }

    @Test
    void aRequestWaitingForAnInFlightSlotShowsItsWaitInDispatchLagAndTtft() throws Exception {
        List<Step> slow = List.of(
                new Step(0, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"),
                new Step(100, "data: [DONE]\n\n"));
        try (StreamingTestServer server = new StreamingTestServer(r -> Script.sse(slow))) {
            // 20 requests/s for 10 requests, one at a time, each ~100 ms: the queue grows by ~half
            // a request per request, so later requests wait hundreds of ms for their slot.
            TrialSpec spec = TestTrials.trial(
                    "capped",
                    new OpenLoopModel(Arrival.CONSTANT, 20, 1),
                    Phase.ofRequests(2),
                    Phase.ofRequests(10),
                    Duration.ofSeconds(10),
                    SloSpec.NONE);
            TrialResult r = run(server, spec);
            assertThat(server.maxConcurrent()).isEqualTo(1);
            assertThat(r.counts().completed()).isEqualTo(10);
            assertThat(r.counts().delayedStarts()).isGreaterThanOrEqualTo(8);
            assertThat(r.metrics().get("dispatchLag").max()).isGreaterThan(200.0);
            assertThat(r.metrics().get("ttft").max())
                    .isGreaterThanOrEqualTo(r.metrics().get("dispatchLag").max());
            assertThat(r.warnings()).anyMatch(w -> w.contains("waited for an in-flight slot"));
            // Most of the 10 requests waited far beyond 1 ms: the field says so, with its figures.
            assertThat(r.harnessLimit().measuredRequests()).isEqualTo(10);
            assertThat(r.harnessLimit().lateRequests()).isGreaterThanOrEqualTo(7);
            assertThat(r.harnessLimit().allowedLate()).isEqualTo(2);
            assertThat(r.harnessLimited()).isTrue();
            // The warning, for people, repeats them and says what to add to the JVM exactly when
            // this JVM lacks it.
            String lagWarning = r.warnings().stream()
                    .filter(w -> w.startsWith("harness-limited: dispatch lag above 1 ms in "))
                    .findFirst()
                    .orElseThrow();
            assertThat(lagWarning.contains(LoadJvm.PRE_TOUCH_ADVICE)).isEqualTo(!LoadJvm.heapPreTouched());
        }
    }

    @Test
    void anInterruptEndsALongWindowAtOnceWithEveryRequestAccountedFor() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")))) {
            // A 60 s window: the trial's thread waits for its end without polling every 50 ms, so
            // an interruption (Ctrl-C) must end that wait itself, by stopping the driver.
            TrialSpec spec = TestTrials.trial(
                    "interrupted",
                    new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                    Phase.NONE,
                    Phase.ofDuration(Duration.ofSeconds(60)),
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            java.util.concurrent.CountDownLatch someEnded = new java.util.concurrent.CountDownLatch(3);
            TrialRunner runner = new TrialRunner(
                            spec, TestTrials.CHAT, TestTrials.PROMPTS, client(server), null, new PrintStream(log))
                    .onRequestEnded(t -> someEnded.countDown());
            java.util.concurrent.ExecutorService trial = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<TrialResult> result = trial.submit(runner::run);
                assertThat(someEnded.await(20, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                long interruptedAt = System.nanoTime();
                runner.interrupt();
                TrialResult r = result.get(30, java.util.concurrent.TimeUnit.SECONDS);
                // Long before the window's 60 s: the bound leaves room for a loaded machine.
                assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(10));
                assertThat(r.warnings()).anyMatch(w -> w.startsWith("interrupted:"));
                assertThat(r.counts().sent()).isPositive();
                assertThat(r.counts().sent())
                        .isEqualTo(r.counts().completed()
                                + r.counts().failed()
                                + r.counts().cancelled());
            } finally {
                trial.shutdownNow();
            }
        }
    }

    /** Ten requests 10 ms apart, in Mooncake's format. */
    private static final String TEN_ARRIVALS = java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> "{\"timestamp\": " + i * 10 + "}\n")
            .collect(java.util.stream.Collectors.joining());

    private static TrialSpec replaying(String path) {
        return TestTrials.trial(
                "trace",
                new dev.llmharness.api.spi.TraceLoadModel(path, 1, 0),
                Phase.NONE,
                Phase.ofDuration(TrialOverrides.TRACE_WINDOW),
                Duration.ofSeconds(5),
                SloSpec.NONE);
    }

    /**
     * A trace that takes long to read (here 300 ms before its first bytes, as a large file takes
     * seconds) is read before the trial's start is fixed: its first arrival is due after the read,
     * not during it, where it would go out late by the whole read (it did, read by the load
     * driver after the start was fixed 20 ms ahead).
     */
    @Test
    void aTraceIsReadBeforeTheTrialsStartIsFixed() throws Exception {
        try (StreamingTestServer server =
                        new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")));
                TraceResource file =
                        new TraceResource("llmh-test/slow-trace.jsonl", TEN_ARRIVALS, Duration.ofMillis(300))) {
            java.util.Queue<Long> intended = new java.util.concurrent.ConcurrentLinkedQueue<>();
            TrialResult r = new TrialRunner(
                            replaying(file.path()),
                            TestTrials.CHAT,
                            TestTrials.PROMPTS,
                            client(server),
                            null,
                            new PrintStream(log))
                    .onRequestEnded(t -> intended.add(t.intendedStart()))
                    .run();
            assertThat(file.opens()).isEqualTo(1);
            assertThat(r.counts().completed()).isEqualTo(10);
            assertThat(intended).hasSize(10);
            // Every arrival is due after the file was read and closed: none was due during the read.
            assertThat(intended).allMatch(t -> t - file.closedAt() > 0, "due after the read ended");
        }
    }

    /** Given the trace the run read, the trial replays it and reads no file. */
    @Test
    void aTrialGivenItsTraceDoesNotReadItAgain() throws Exception {
        try (StreamingTestServer server =
                        new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")));
                TraceResource file = new TraceResource("llmh-test/trace.jsonl", TEN_ARRIVALS, Duration.ZERO)) {
            dev.llmharness.runtime.load.ArrivalTrace trace = dev.llmharness.runtime.data.TraceReader.read(file.path());
            assertThat(file.opens()).isEqualTo(1);
            TrialSpec spec = replaying(file.path());
            TrialResult r = new TrialRunner(
                            spec, TestTrials.CHAT, TestTrials.PROMPTS, client(server), null, new PrintStream(log))
                    .replaying(trace)
                    .run();
            assertThat(file.opens()).as("opened by the run's read only").isEqualTo(1);
            assertThat(r.counts().completed()).isEqualTo(10);
            // The trace given must be the one the trial names.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrialRunner(
                                    replaying("classpath:llmh-test/other.jsonl"),
                                    TestTrials.CHAT,
                                    TestTrials.PROMPTS,
                                    client(server),
                                    null,
                                    new PrintStream(log))
                            .replaying(trace))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("replays classpath:llmh-test/other.jsonl, not " + file.path());
        }
    }
}
