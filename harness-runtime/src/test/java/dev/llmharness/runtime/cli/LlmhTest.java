package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.testing.FixedSuite;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LlmhTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearProperties() {
        System.clearProperty("llmh.url");
        System.clearProperty("llmh.include");
    }

    static TrialSpec trial(String method, double rate, SloSpec slo) {
        return new TrialSpec(
                "com.example.Chat." + method,
                Map.of("rate", TrialSpec.formatRate(rate)),
                new OpenLoopModel(Arrival.CONSTANT, rate, 0),
                Phase.ofRequests(10),
                Phase.ofRequests(10),
                Duration.ofSeconds(5),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                slo,
                7);
    }

    static BenchmarkSuite suite(List<TrialSpec> trials) {
        return new FixedSuite("com.example.Chat", trials, ChatRequest::of);
    }

    private int llmh(List<TrialSpec> trials, String... args) {
        BenchmarkSuite suite = suite(trials);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(
                            () -> List.of(suite),
                            t -> i -> new Prompt(i, "p" + i, 5, 3, false, null),
                            null,
                            trial -> TokenCounter.contentEvents(),
                            name -> null));
                }
                if (cls == ListCommand.class) {
                    return cls.cast(new ListCommand(() -> List.of(suite)));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = Llmh.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static StreamingTestServer server() throws Exception {
        return new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(2, 2, "a", "b", "c")));
    }

    @Test
    void runWritesTheResultAndExitsZeroWhenEverySloPasses() throws Exception {
        SloSpec slo = new SloSpec(List.of(LatencyBound.parse(SloMetric.TTFT, "p99 <= 30s")), OptionalDouble.of(0.5));
        try (StreamingTestServer s = server()) {
            Path file = dir.resolve("r.json");
            int code = llmh(
                    List.of(trial("a", 100, slo), trial("b", 100, slo)),
                    "run",
                    "--url",
                    s.baseUrl(),
                    "--include",
                    "\\.a\\{",
                    "--output",
                    file.toString(),
                    "--csv",
                    dir.resolve("r.csv").toString(),
                    "--progress",
                    "0s",
                    "--jit-priority",
                    "normal");
            assertThat(code).as(err.toString()).isEqualTo(Llmh.OK);
            RunResult r = ResultJson.read(file);
            // What was done with the compiler threads is part of the run's environment.
            assertThat(r.run().jitPriority()).isEqualTo("normal");
            assertThat(java.nio.file.Files.readString(file)).contains("\"jitPriority\" : \"normal\"");
            assertThat(r.trials()).extracting(t -> t.id()).containsExactly("com.example.Chat.a{rate=100}");
            assertThat(r.trials().get(0).counts().completed())
                    .as(r.trials().get(0).warnings().toString())
                    .isEqualTo(10);
            assertThat(out.toString()).contains("PASS  ttft p99 <= 30s").contains("result written to");
            assertThat(dir.resolve("r.csv")).exists();
        }
    }

    @Test
    void theJvmWarmupIsRecordedAndNeverReachesTheTarget() throws Exception {
        for (String mode : List.of("off", "auto")) {
            err.getBuffer().setLength(0);
            try (StreamingTestServer s = server()) {
                Path file = dir.resolve("warmup-" + mode + ".json");
                int code = llmh(
                        List.of(trial("a", 100, SloSpec.NONE)),
                        "run",
                        "--url",
                        s.baseUrl(),
                        "--output",
                        file.toString(),
                        "--progress",
                        "0s",
                        "--jvm-warmup",
                        mode);
                assertThat(code).as(err.toString()).isEqualTo(Llmh.OK);
                RunResult r = ResultJson.read(file);
                assertThat(r.run().jvmWarmup()).isEqualTo(mode.equals("off") ? "off" : "on");
                assertThat(java.nio.file.Files.readString(file))
                        .contains("\"jvmWarmup\" : \"" + r.run().jvmWarmup() + "\"");
                // The warm-up's thousands of requests went to its own simulator: the target saw only
                // the trial's few (and the probe's).
                long generations = s.received().stream()
                        .filter(x -> x.path().equals("/v1/chat/completions"))
                        .count();
                assertThat(r.trials().get(0).counts().completed()).isEqualTo(10);
                assertThat(generations).isLessThan(50);
            }
        }
    }

    /**
     * Overrides that shrink a window below Limits.MIN_EXPECTED_REQUESTS (which the processor refuses
     * for declared values) warn before any load, naming the options; values that keep enough
     * requests do not.
     */
    @Test
    void overridesThatLeaveAWindowFewRequestsWarnBeforeTheLoad() throws Exception {
        try (StreamingTestServer s = server()) {
            List<TrialSpec> trials = List.of(trial("a", 100, SloSpec.NONE));
            int code = llmh(
                    trials,
                    "run",
                    "--url",
                    s.baseUrl(),
                    "--output",
                    dir.resolve("few.json").toString(),
                    "--warmup",
                    "none",
                    "--duration",
                    "200ms",
                    "--rate-scale",
                    "0.1",
                    "--progress",
                    "0s",
                    "--no-report");
            assertThat(code).as(err.toString()).isEqualTo(Llmh.OK);
            String warning = err.toString()
                    .lines()
                    .filter(l -> l.contains("requests expected"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no warning in: " + err));
            assertThat(warning)
                    .startsWith("llmh: WARNING com.example.Chat.a{rate=100}: 2.0 requests expected in the 200ms window")
                    .contains("--rate-scale 0.1")
                    .contains("--duration 200ms")
                    .contains("fewer than 5");

            err.getBuffer().setLength(0);
            assertThat(llmh(
                            trials,
                            "run",
                            "--url",
                            s.baseUrl(),
                            "--output",
                            dir.resolve("enough.json").toString(),
                            "--warmup",
                            "none",
                            "--duration",
                            "200ms",
                            "--progress",
                            "0s",
                            "--no-report"))
                    .isEqualTo(Llmh.OK);
            assertThat(err.toString()).doesNotContain("requests expected");
        }
    }

    /**
     * A 4 h soak in a CI job: --duration has no window to replace in a load that ends by itself, so
     * it is one line naming the --duration-scale that would do, exit 2, before any load (it was
     * silently ignored); --duration-scale shortens the shape itself, rates kept.
     */
    @Test
    void aDurationOnALoadShapeIsRefusedNamingTheDurationScaleWhichShortensIt() throws Exception {
        TrialSpec soak = new TrialSpec(
                "com.example.Chat.soak",
                Map.of("load", "soak"),
                dev.llmharness.api.spi.ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 20, Duration.ofHours(4), 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                Duration.ofSeconds(5),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                7);
        try (StreamingTestServer s = server()) {
            Path refused = dir.resolve("refused.json");
            int code = llmh(
                    List.of(soak),
                    "run",
                    "--url",
                    s.baseUrl(),
                    "--output",
                    refused.toString(),
                    "--duration",
                    "30s",
                    "--progress",
                    "0s",
                    "--no-report");
            assertThat(code).as(err.toString()).isEqualTo(Llmh.USAGE);
            assertThat(err.toString()).doesNotContain("Exception");
            assertThat(err.toString().lines().filter(l -> l.contains("does not apply")))
                    .singleElement()
                    .asString()
                    .contains(soak.id() + ": --duration 30s does not apply to its load, which ends by itself after 4h")
                    .contains("--duration-scale 0.0021");
            assertThat(refused).doesNotExist();

            err.getBuffer().setLength(0);
            Path shortened = dir.resolve("shortened.json");
            // 4 h times 0.0002: 2.88 s at 20 requests/s.
            assertThat(llmh(
                            List.of(soak),
                            "run",
                            "--url",
                            s.baseUrl(),
                            "--output",
                            shortened.toString(),
                            "--duration-scale",
                            "0.0002",
                            "--progress",
                            "0s",
                            "--no-report"))
                    .as(err.toString())
                    .isEqualTo(Llmh.OK);
            var trial = ResultJson.read(shortened).trials().get(0);
            assertThat(trial.window().measurementSeconds())
                    .isCloseTo(2.88, org.assertj.core.api.Assertions.within(0.2));
            assertThat(trial.load().rate()).isEqualTo(20.0);
            assertThat(trial.load().description()).doesNotContain("4h");
            assertThat(trial.counts().sent()).isBetween(50L, 65L);
        }
    }

    @Test
    void aFailedSloExitsWithOneUnlessFailOnSloIsOff() throws Exception {
        SloSpec slo = new SloSpec(List.of(LatencyBound.parse(SloMetric.TTFT, "p50 <= 1us")), OptionalDouble.empty());
        try (StreamingTestServer s = server()) {
            List<TrialSpec> trials = List.of(trial("a", 100, slo));
            assertThat(llmh(
                            trials,
                            "run",
                            "--url",
                            s.baseUrl(),
                            "--output",
                            dir.resolve("1.json").toString()))
                    .isEqualTo(Llmh.SLO_FAILED);
            assertThat(out.toString()).contains("FAIL  ttft p50 <= 1us");
            assertThat(llmh(
                            trials,
                            "run",
                            "--url",
                            s.baseUrl(),
                            "--no-fail-on-slo",
                            "--output",
                            dir.resolve("2.json").toString()))
                    .isEqualTo(Llmh.OK);
        }
    }

    @Test
    void optionsAlsoComeFromSystemProperties() throws Exception {
        try (StreamingTestServer s = server()) {
            System.setProperty("llmh.url", s.baseUrl());
            System.setProperty("llmh.include", "nomatch");
            assertThat(llmh(List.of(trial("a", 100, SloSpec.NONE)), "run")).isEqualTo(Llmh.USAGE);
            assertThat(err.toString()).contains("no trial matches --include \"nomatch\"");
            System.clearProperty("llmh.include");
            Path file = dir.resolve("p.json");
            assertThat(llmh(List.of(trial("a", 100, SloSpec.NONE)), "run", "--output", file.toString()))
                    .as(err.toString())
                    .isEqualTo(Llmh.OK);
            assertThat(ResultJson.read(file).target().url()).isEqualTo(s.baseUrl());
        }
    }

    @Test
    void anUnreachableTargetIsOneClearMessageAndExitCodeTwo() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        int code = llmh(
                List.of(trial("a", 100, SloSpec.NONE)),
                "run",
                "--url",
                "http://127.0.0.1:" + port,
                "--output",
                dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(Llmh.USAGE);
        assertThat(err.toString())
                .contains("cannot connect to http://127.0.0.1:" + port)
                .hasLineCount(1);
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void withoutAUrlTheRunAsksForOne() {
        int code = llmh(
                List.of(trial("a", 100, SloSpec.NONE)),
                "run",
                "--output",
                dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).contains("no server URL").contains("-Dllmh.url");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(llmh(List.of(trial("a", 1, SloSpec.NONE)), "run", "--rate-scale", "fast"))
                .isEqualTo(Llmh.USAGE);
        assertThat(llmh(List.of(trial("a", 1, SloSpec.NONE)), "run", "--include", "("))
                .isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).contains("not a valid regular expression");
        assertThat(llmh(List.of(trial("a", 1, SloSpec.NONE)), "run", "--url", "http://x", "--warmup", "soon"))
                .isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).contains("--warmup");
        assertThat(llmh(List.of(), "nonsense")).isEqualTo(Llmh.USAGE);
    }

    @Test
    void listShowsTheSelectedTrials() {
        assertThat(llmh(List.of(trial("a", 2, SloSpec.NONE), trial("b", 4, SloSpec.NONE)), "list", "--include", "b"))
                .isEqualTo(Llmh.OK);
        assertThat(out.toString())
                .contains("com.example.Chat.b{rate=4}  open CONSTANT 4 req/s  warmup 10 requests, measure 10 requests")
                .doesNotContain("Chat.a")
                .contains("1 trial(s)");
    }

    /**
     * A shape is measured to its end, whatever window it declares: list shows the window it runs
     * (the shape's length less a timed warmup), not the declared 30 s; a trace runs to its last
     * request.
     */
    @Test
    void listShowsTheWindowAShapeRunsNotTheDeclaredOne() {
        dev.llmharness.api.spi.ShapedLoadModel spike = dev.llmharness.api.spi.ShapedLoadModel.spike(
                Arrival.POISSON,
                1,
                5,
                50,
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ofSeconds(20),
                0);
        TrialSpec shaped = declared("spike", Map.of("load", "spike"), spike, Phase.ofDuration(Duration.ofSeconds(5)));
        TrialSpec trace = declared(
                "trace",
                Map.of("trace", "t.csv"),
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0),
                Phase.NONE);
        assertThat(llmh(List.of(shaped, trace, trial("c", 2, SloSpec.NONE)), "list"))
                .isEqualTo(Llmh.OK);
        assertThat(out.toString())
                .contains("com.example.Chat.spike{load=spike}  spike POISSON 5 → 5 over 10s ⇒ 50 → 50 over 10s ⇒ 5 → 5"
                        + " over 20s req/s  warmup 5s, measure 35s (to its end)")
                .contains("com.example.Chat.trace{trace=t.csv}  trace t.csv  warmup none, measure to its last request")
                .contains("com.example.Chat.c{rate=2}  open CONSTANT 2 req/s  warmup 10 requests, measure 10 requests");
    }

    /**
     * List shows what each kind of load measures: a trace whose file is readable, its replay's
     * length after the warmup, at its speed-up (rather than the declared 30 s); stages of workers as
     * long as their warmup measure nothing, which run refuses before any load, and so does list, in
     * run's line (exit 2).
     */
    @Test
    void listShowsWhatEveryKindOfLoadMeasures() throws Exception {
        Path file = dir.resolve("t.jsonl");
        java.nio.file.Files.writeString(file, "{\"timestamp\": 0}\n{\"timestamp\": 12000}\n{\"timestamp\": 6000}\n");
        TrialSpec trace = declared(
                "trace",
                Map.of("trace", "t.jsonl"),
                new dev.llmharness.api.spi.TraceLoadModel(file.toString(), 2, 0),
                Phase.ofDuration(Duration.ofSeconds(5)));

        assertThat(llmh(List.of(trace), "list")).isEqualTo(Llmh.OK);

        assertThat(out.toString())
                .contains("warmup 5s, measure 1s (to its last request, of the trace's 6s)")
                .doesNotContain("measure 30s");

        out.getBuffer().setLength(0);
        TrialSpec workers = declared(
                "workers",
                Map.of("load", "worker-stages"),
                dev.llmharness.api.spi.StagedClosedLoopModel.stages(
                        0, List.of(new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(3), 4)), Duration.ZERO),
                Phase.ofDuration(Duration.ofSeconds(5)));
        assertThat(llmh(List.of(workers, trace), "list")).isEqualTo(Llmh.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip())
                .hasLineCount(1)
                .isEqualTo("llmh list: com.example.Chat.workers{load=worker-stages}: the warmup (5s) is as long as the"
                        + " whole load (3s): shorten the warmup so that some of the shape is measured");
    }

    /**
     * List takes run's overrides and shows the trials as run runs them with the same options: the
     * rate --rate-scale gives, the warmup and window --duration-scale gives, and run's warnings (a
     * closed loop has no rate to scale) on stderr; before, it showed the declared load whatever
     * was given.
     */
    @Test
    void listShowsTheTrialsAsRunWouldRunThemWithTheSameOverrides() {
        TrialSpec open = trial("a", 2, SloSpec.NONE);
        TrialSpec workers = declared(
                "workers",
                Map.of("concurrency", "4"),
                new dev.llmharness.api.spi.ClosedLoopModel(4, Duration.ZERO),
                Phase.ofDuration(Duration.ofSeconds(5)));

        assertThat(llmh(List.of(open, workers), "list", "--rate-scale", "3", "--duration-scale", "0.2"))
                .as(err.toString())
                .isEqualTo(Llmh.OK);

        assertThat(out.toString())
                .contains("com.example.Chat.a{rate=2}  open CONSTANT 6 req/s  warmup 10 requests, measure 10 requests")
                .contains("com.example.Chat.workers{concurrency=4}  closed 4 workers  warmup 1s, measure 6s")
                .contains("2 trial(s)");
        assertThat(err.toString().strip())
                .hasLineCount(1)
                .startsWith("llmh list: WARNING com.example.Chat.workers{concurrency=4}: --rate-scale 3 leaves its load"
                        + " as declared (closed 4 workers): a closed loop has no rate to multiply")
                .endsWith("change its workers instead (@ClosedLoop(concurrency)), or leave the trial out with"
                        + " --include");
    }

    /** What run refuses before any load for an override, list refuses in the same line, exit 2. */
    @Test
    void listRefusesWhatRunRefuses() {
        TrialSpec soak = declared(
                "soak",
                Map.of("load", "soak"),
                dev.llmharness.api.spi.ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 10, Duration.ofHours(4), 0),
                Phase.NONE);

        assertThat(llmh(List.of(soak), "list", "--duration", "30s")).isEqualTo(Llmh.USAGE);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip())
                .hasLineCount(1)
                .startsWith("llmh list: com.example.Chat.soak{load=soak}: --duration 30s does not apply to its load,"
                        + " which ends by itself after 4h")
                .contains("--duration-scale 0.0021");
        err.getBuffer().setLength(0);
        assertThat(llmh(List.of(soak), "list", "--rate-scale", "0")).isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).contains("--rate-scale");
    }

    /**
     * A trace whose warmup lasts as long as its replay would measure nothing: the run reads the
     * trace before any load and says so in one line with the fix, exit 2 (the processor says it at
     * compile time when it can read the file then).
     */
    @Test
    void aWarmupAsLongAsATraceIsOneLineBeforeAnyLoad() throws Exception {
        Path file = dir.resolve("t.jsonl");
        java.nio.file.Files.writeString(file, "{\"timestamp\": 0}\n{\"timestamp\": 1500}\n{\"timestamp\": 3000}\n");
        TrialSpec t = trial("trace", 1, SloSpec.NONE);
        TrialSpec trace = t.with(
                Map.of("trace", "t.jsonl"),
                new dev.llmharness.api.spi.TraceLoadModel(file.toString(), 1, 0),
                Phase.ofDuration(Duration.ofSeconds(5)),
                Phase.ofDuration(Duration.ofSeconds(30)),
                t.slo(),
                t.seed());

        assertThat(llmh(
                        List.of(trace),
                        "run",
                        "--url",
                        "http://127.0.0.1:1",
                        "--output",
                        dir.resolve("r.json").toString()))
                .isEqualTo(Llmh.USAGE);

        assertThat(err.toString().strip())
                .hasLineCount(1)
                .contains(
                        ": the warmup (5s) is as long as the whole trace (the 3s from its first request to its last in "
                                + file
                                + "), so nothing would be measured: give --warmup 0s (or @Warmup(duration = \"0s\")) to"
                                + " measure the whole trace, or a shorter warmup, e.g. --warmup 1s");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    /** A trial of {@code load} that declares a window of 30 s. */
    private static TrialSpec declared(
            String method, Map<String, String> params, dev.llmharness.api.spi.LoadModel load, Phase warmup) {
        return new TrialSpec(
                "com.example.Chat." + method,
                params,
                load,
                warmup,
                Phase.ofDuration(Duration.ofSeconds(30)),
                Duration.ofSeconds(5),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                7);
    }

    /** As with run, selecting nothing is a usage error (exit 2), one line on stderr. */
    @Test
    void listSelectingNothingIsAUsageError() {
        assertThat(llmh(List.of(trial("a", 2, SloSpec.NONE)), "list", "--include", "nomatch"))
                .isEqualTo(Llmh.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip())
                .hasLineCount(1)
                .startsWith("llmh list: no trial matches --include \"nomatch\"");
    }

    @Test
    void warmupAcceptsADurationACountOrNone() {
        assertThat(RunCommand.parseWarmup("none")).isEqualTo(Phase.NONE);
        assertThat(RunCommand.parseWarmup("50req")).isEqualTo(Phase.ofRequests(50));
        assertThat(RunCommand.parseWarmup("1m30s")).isEqualTo(Phase.ofDuration(Duration.ofSeconds(90)));
    }
}
