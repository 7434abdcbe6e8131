package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEngineTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private RunEngine engine(String url, Path output, Path csv) {
        return engine(url, output, csv, Preopen.fromProperty());
    }

    private RunEngine engine(String url, Path output, Path csv, Preopen preopen) {
        RunSettings settings = new RunSettings(
                TrialOverrides.NONE,
                output,
                csv,
                ClientTimeouts.defaults(),
                Duration.ofMillis(100),
                dir,
                null,
                0,
                dev.llmharness.runtime.client.TransportKind.fromProperty(),
                preopen);
        return new RunEngine(
                settings,
                new TargetResolver(url, null, null, null, name -> null),
                t -> TestTrials.PROMPTS,
                trial -> TokenCounter.contentEvents(),
                new PrintStream(console, true),
                new PrintStream(console, true));
    }

    private static List<PlannedTrial> plan(TrialSpec... trials) {
        BenchmarkSuite suite = TestTrials.suite(List.of(trials), TestTrials.CHAT);
        return java.util.Arrays.stream(trials)
                .map(t -> new PlannedTrial(suite, t))
                .toList();
    }

    @Test
    void aRunWritesAResultFileWhoseHistogramsDecodeAndACsvRowPerRequest() throws Exception {
        SloSpec slo = new SloSpec(
                List.of(
                        LatencyBound.parse(SloMetric.TTFT, "p99 <= 10s"),
                        LatencyBound.parse(SloMetric.ITL, "p50 <= 1us")),
                OptionalDouble.of(0.0));
        TrialSpec t = TestTrials.trial(
                "chat",
                new OpenLoopModel(Arrival.POISSON, 100, 0),
                // A cold JVM reads its first streams late and in bursts: warm up as real runs do.
                Phase.ofRequests(40),
                Phase.ofRequests(20),
                Duration.ofSeconds(5),
                slo);
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(5, 5, "a", "b", "c")))) {
            Path out = dir.resolve("out/result.json");
            Path csv = dir.resolve("out/requests.csv");
            RunEngine.Outcome outcome = engine(server.baseUrl(), out, csv).run(plan(t));
            assertThat(outcome.sloFailed()).as("ITL p50 <= 1 µs cannot hold").isTrue();
            RunResult read = ResultJson.read(out);
            assertThat(read.partial()).isFalse();
            assertThat(read.target().model()).isEqualTo("test-model");
            assertThat(read.target().serverVersion()).isEqualTo("test-server/1");
            assertThat(read.run().cpuCount()).isPositive();
            assertThat(read.run().shard()).isEqualTo("0/1");
            TrialResult r = read.trials().get(0);
            assertThat(r.counts().completed()).isEqualTo(20);
            r.metrics().values().forEach(m -> assertThat(m.histogram()).startsWith("HISTF"));
            assertThat(r.metrics().get("ttft").decodeHistogram().getTotalCount())
                    .isEqualTo(20);
            assertThat(r.slo()).hasSize(3);
            assertThat(r.slo().get(0).passed()).isTrue();
            assertThat(r.slo().get(0).objective()).isEqualTo("ttft p99 <= 10s");
            assertThat(r.slo().get(1).passed()).isFalse();
            assertThat(r.slo().get(2).objective()).isEqualTo("errorRate <= 0.0");
            assertThat(r.slo().get(2).passed()).isTrue();
            assertThat(r.throughput().goodputRequestsPerSecond()).isEqualTo(0.0);
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.get(0))
                    .as("the first columns keep their place; later ones are appended")
                    .startsWith("request_id,trial_id,intended_start_epoch_ms,ttft_ms,tpot_ms,e2e_ms,input_tokens,"
                            + "output_tokens,token_source,status,error_category,")
                    .isEqualTo(String.join(",", dev.llmharness.runtime.result.RequestCsvWriter.COLUMNS));
            assertThat(lines).hasSize(21);
            assertThat(lines.get(1))
                    .contains(",com.example.Bench.chat{rate=x},")
                    .contains(",usage,completed,");
            assertThat(console.toString()).contains("FAIL  itl p50 <= 1us").contains("PASS  ttft p99 <= 10s");
        }
    }

    @Test
    void anInterruptedRunWritesWhatItGatheredMarkedPartial() throws Exception {
        TrialSpec first = TestTrials.trial(
                "long",
                new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofMinutes(5)),
                Duration.ofSeconds(30),
                SloSpec.NONE);
        TrialSpec second = TestTrials.trial(
                "never",
                new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                Phase.NONE,
                Phase.ofRequests(5),
                Duration.ofSeconds(30),
                SloSpec.NONE);
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(50, 200, "a", "b", "c")))) {
            Path out = dir.resolve("partial.json");
            // No connections opened before the load: the 800 ms before the stop are all window.
            RunEngine engine = engine(server.baseUrl(), out, null, Preopen.OFF);
            Thread stopper = new Thread(() -> {
                try {
                    // 800 ms into the first trial, whatever the run's setup took on a busy machine.
                    while (!console.toString().contains("-- trial 1/2")) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(800);
                } catch (InterruptedException e) {
                    return;
                }
                engine.interrupt();
            });
            stopper.start();
            long start = System.nanoTime();
            engine.run(plan(first, second));
            stopper.join();
            assertThat(System.nanoTime() - start)
                    .isLessThan(Duration.ofSeconds(15).toNanos());
            RunResult read = ResultJson.read(out);
            assertThat(read.partial()).isTrue();
            assertThat(read.trials()).hasSize(1);
            TrialResult r = read.trials().get(0);
            assertThat(r.warnings()).anyMatch(w -> w.startsWith("interrupted"));
            assertThat(r.counts().sent()).isGreaterThan(10);
            assertThat(r.counts().cancelled()).isPositive();
            assertThat(r.counts().sent())
                    .isEqualTo(r.counts().completed()
                            + r.counts().failed()
                            + r.counts().cancelled());
            // The window is what the 800 ms leave after the trial's in-memory warm-up (longer on a
            // busy machine), not the 5 minutes declared.
            assertThat(r.window().measurementSeconds()).isBetween(0.05, 3.0);
        }
    }

    @Test
    void withoutAUrlOrASimulatorTheRunStopsBeforeAnyLoadWithOneMessage() {
        TrialSpec t = TestTrials.trial(
                "x",
                new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                Phase.NONE,
                Phase.ofRequests(5),
                Duration.ofSeconds(1),
                SloSpec.NONE);
        assertThatThrownBy(() -> engine(null, dir.resolve("r.json"), null).run(plan(t)))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("--url")
                .hasMessageContaining("-Dllmh.url");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    /**
     * A trace is read once, before any load, however many trials replay it and whatever they use
     * it for: the pre-run check, the prompts of its lengths, and each trial's schedule (which read
     * it three times, and on the trial's clock).
     */
    @Test
    void aTraceIsReadOnceForItsCheckItsPromptsAndTheScheduleOfEveryTrialReplayingIt() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            jsonl.append("{\"timestamp\": ")
                    .append(i * 20)
                    .append(", \"input_length\": ")
                    .append(10 + i)
                    .append(", \"output_length\": 3}\n");
        }
        Phase window = Phase.ofDuration(TrialOverrides.TRACE_WINDOW);
        try (StreamingTestServer server =
                        new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(0, 0, "a")));
                TraceResource file = new TraceResource("llmh-test/once.jsonl", jsonl.toString(), Duration.ZERO)) {
            TrialSpec realTime = TestTrials.trial(
                    "realTime",
                    new dev.llmharness.api.spi.TraceLoadModel(file.path(), 1, 0, true),
                    Phase.NONE,
                    window,
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            TrialSpec twice = TestTrials.trial(
                    "twice",
                    new dev.llmharness.api.spi.TraceLoadModel(file.path(), 2, 0, true),
                    Phase.NONE,
                    window,
                    Duration.ofSeconds(5),
                    SloSpec.NONE);
            Path out = dir.resolve("trace.json");
            Path csv = dir.resolve("trace.csv");
            RunEngine.Outcome outcome = engine(server.baseUrl(), out, csv).run(plan(realTime, twice));
            assertThat(file.opens()).isEqualTo(1);
            assertThat(outcome.result().trials()).hasSize(2);
            for (TrialResult r : outcome.result().trials()) {
                assertThat(r.counts().completed()).as(r.id()).isEqualTo(8);
            }
            // The prompts are the trace's rows: what was read serves the lengths too.
            List<String> rows = Files.readAllLines(csv);
            int input = java.util.Arrays.asList(rows.get(0).split(",")).indexOf("intended_input_tokens");
            assertThat(input).isNotNegative();
            assertThat(rows.subList(1, rows.size()).stream()
                            .map(row -> Integer.parseInt(row.split(",")[input]))
                            .sorted()
                            .toList())
                    .containsExactly(10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17);
        }
    }
}
