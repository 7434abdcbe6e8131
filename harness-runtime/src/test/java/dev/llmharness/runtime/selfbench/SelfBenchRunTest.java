package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.run.LoadJvm;
import dev.llmharness.runtime.sim.SimProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short real run: the simulator in a child JVM, two tiny closed-loop steps of the real engine. */
class SelfBenchRunTest {
    @TempDir
    Path dir;

    @Test
    void two_tiny_steps_against_a_real_simulator_process_match_every_request_with_its_ground_truth() throws Exception {
        SelfBenchConfig c = SelfBenchConfig.defaults()
                .withSteps(
                        List.of(SimSetup.fixedItl(Duration.ofMillis(5), Duration.ofMillis(5))),
                        List.of("closed"),
                        List.of(1.0),
                        List.of(1, 2),
                        Duration.ofMillis(300),
                        Duration.ofSeconds(1),
                        8)
                .withOutputs(dir.resolve("self.json"), dir.resolve("self.md"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SelfBenchReport report = SelfBench.run(
                c,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(report.series()).hasSize(1);
        SeriesResult s = report.series().get(0);
        assertThat(s.steps()).isNotEmpty();
        StepFigures first = s.steps().get(0).figures();
        assertThat(first.measuredRequests()).isPositive();
        // Every measured request was found in the simulator's ground truth, by its request id.
        assertThat(first.matchedRequests()).isEqualTo(first.measuredRequests());
        assertThat(first.failedRequests()).isZero();
        // The harness reads a token after the simulator wrote it, within a generous bound.
        assertThat(first.ttftErrorP50()).isBetween(0.0, 50.0);
        assertThat(first.tokenDelayP50()).isBetween(0.0, 50.0);
        // 8 tokens per request: 7 gaps each, compared with the simulator's own gaps.
        assertThat(first.itlErrorP50()).isBetween(0.0, 50.0);
        assertThat(first.itlErrorP99()).isGreaterThanOrEqualTo(first.itlErrorP50());
        // The request reached the simulator after the harness sent it, and not seconds later.
        assertThat(first.sendDelayP50()).isBetween(0.0, 50.0);
        assertThat(first.sendDelayP99()).isGreaterThanOrEqualTo(first.sendDelayP50());
        // 1 stream of 8 tokens at 5 ms: 40 ms per request, ~200 token events/s.
        assertThat(first.offeredTokenEventsPerSecond())
                .isEqualTo(1 / 0.040 * 8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.tokenEventsPerSecond()).isBetween(50.0, 400.0);
        assertThat(first.harnessCpu()).isGreaterThan(0);
        assertThat(first.heapUsedMaxMb()).isPositive();

        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("fixed-itl(ttft=5ms, itl=5ms)").contains("capacity: ");
        JsonNode json = ResultJson.mapper().readTree(Files.readString(dir.resolve("self.json")));
        assertThat(json.get("series")
                        .get(0)
                        .get("steps")
                        .get(0)
                        .get("figures")
                        .get("matchedRequests")
                        .asLong())
                .isEqualTo(first.matchedRequests());
        assertThat(Files.readString(dir.resolve("self.md"))).contains("### Harness self-benchmark");

        // The report says how both JVMs ran, and advises on the heap when this one is not pre-touched.
        assertThat(report.harnessJvmOptions()).isEqualTo(LoadJvm.currentOptions());
        assertThat(report.simJvmOptions()).isEqualTo(SimProcess.DEFAULT_JVM_OPTIONS);
        assertThat(report.requestThreads()).isEqualTo(RequestThreads.virtual() ? "virtual" : "platform");
        assertThat(err.toString(StandardCharsets.UTF_8).contains(LoadJvm.PRE_TOUCH_ADVICE))
                .isEqualTo(!LoadJvm.heapPreTouched());
    }

    @Test
    void the_peers_method_reports_ttft_error_against_the_server_and_the_cost_per_request() throws Exception {
        SelfBenchConfig p = SelfBenchConfig.peers();
        SelfBenchConfig c = new SelfBenchConfig(
                List.of(SimSetup.fixedItl(Duration.ofMillis(5), Duration.ofMillis(5))
                        .withRates(List.of(20.0))),
                List.of("open"),
                p.rates(),
                List.of(),
                Duration.ofMillis(300),
                Duration.ofSeconds(1),
                16,
                8,
                List.of(),
                null, // unpinned: the test machine may have one CPU
                null,
                p.criteria(),
                7,
                dir.resolve("peers.json"),
                dir.resolve("peers.md"),
                p.keepGoing(),
                p.arrival(),
                p.method());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SelfBenchReport report = SelfBench.run(
                c, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        StepFigures f = report.series().get(0).steps().get(0).figures();
        assertThat(f.level()).isEqualTo(20.0);
        assertThat(f.matchedRequests()).isPositive().isEqualTo(f.measuredRequests());
        // The harness's TTFT holds the simulator's own (5 ms) plus dispatch lag, send and read lag:
        // the error against the server's figure is that excess, never negative, not seconds.
        assertThat(f.ttftErrorVsServerP50()).isBetween(0.0, 50.0);
        assertThat(f.ttftErrorVsServerP99()).isGreaterThanOrEqualTo(f.ttftErrorVsServerP50());
        assertThat(f.cpuMillisPerRequest()).isPositive();
        if (java.nio.file.Files.isDirectory(Path.of("/proc/self/task"))) {
            assertThat(f.contextSwitchesPerRequest()).isPositive();
        }
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("ttftErr p50/p99").contains("cpu ms/req");
        assertThat(report.method()).isEqualTo("peers");
        assertThat(report.arrival()).isEqualTo("poisson");
        assertThat(Files.readString(dir.resolve("peers.md"))).contains("Method peers, poisson arrivals");
    }
}
