package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.result.ResultJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spike method: one short real spike against the simulator in a child JVM, split into its
 * four phases. Structural assertions only: the figures' values depend on the machine's load.
 */
class SpikeSelfBenchTest {
    @TempDir
    Path dir;

    /** Both transports: the spike is measured with each (docs/performance.md, "Spike"). */
    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void a_tiny_spike_is_one_trial_reported_per_phase_with_ground_truth_and_targets(TransportKind transport)
            throws Exception {
        SelfBenchConfig s = SelfBenchConfig.spike();
        SelfBenchConfig c = new SelfBenchConfig(
                List.of(SimSetup.zero().withRates(List.of(5.0, 40.0))),
                s.loads(),
                s.rates(),
                List.of(),
                Duration.ofMillis(500),
                Duration.ofMillis(1600),
                16,
                8,
                List.of(),
                null, // unpinned: the test machine may have one CPU
                null,
                s.criteria(),
                7,
                dir.resolve("spike.json"),
                dir.resolve("spike.md"),
                s.keepGoing(),
                s.arrival(),
                s.method(),
                transport);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SelfBenchReport report = SelfBench.run(
                c, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        assertThat(report.method()).isEqualTo("spike");
        assertThat(report.transport()).isEqualTo(transport.label());
        assertThat(report.series()).hasSize(1);
        SeriesResult series = report.series().get(0);
        assertThat(series.load()).isEqualTo("spike");
        List<StepFigures> phases =
                series.steps().stream().map(StepResult::figures).toList();
        assertThat(phases).extracting(StepFigures::load).containsExactlyElementsOf(SpikePlan.PHASES);
        assertThat(phases).extracting(StepFigures::level).containsExactly(5.0, 40.0, 40.0, 5.0);
        for (StepFigures f : phases) {
            // Every phase scheduled requests and each of them was matched with the simulator's record.
            assertThat(f.measuredRequests()).as(f.load()).isPositive();
            assertThat(f.matchedRequests()).as(f.load()).isEqualTo(f.measuredRequests());
            assertThat(f.failedRequests()).as(f.load()).isZero();
            assertThat(f.offeredRate()).as(f.load()).isPositive();
            assertThat(f.dispatchLagP50()).as(f.load()).isNotNaN().isLessThanOrEqualTo(f.dispatchLagP99());
            assertThat(f.dispatchLagP99()).as(f.load()).isLessThanOrEqualTo(f.dispatchLagMax());
            assertThat(f.ttftErrorVsServerP50()).as(f.load()).isNotNaN();
            assertThat(f.sendDelayP50()).as(f.load()).isNotNaN();
        }
        // The peak's two phases scheduled more requests per second than the base's, whatever the machine.
        assertThat(phases.get(2).offeredRate()).isGreaterThan(phases.get(0).offeredRate());
        // The requests of a phase are disjoint: together no more than the trial measured.
        long measured = phases.stream().mapToLong(StepFigures::measuredRequests).sum();
        assertThat(measured).isPositive();

        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console)
                .contains("zero: spike 5 → 40 → 5 req/s, 1s600ms each")
                .contains("phase")
                .contains("lag p50/p99/max")
                .contains("spike: zero: dispatch lag p99 before ")
                .contains("target 0.25 ms");
        JsonNode json = ResultJson.mapper().readTree(Files.readString(dir.resolve("spike.json")));
        assertThat(json.get("method").asText()).isEqualTo("spike");
        assertThat(json.get("series").get(0).get("steps")).hasSize(4);
        assertThat(json.get("series")
                        .get(0)
                        .get("steps")
                        .get(1)
                        .get("figures")
                        .get("load")
                        .asText())
                .isEqualTo("jump");
        assertThat(Files.readString(dir.resolve("spike.md")))
                .contains("Method spike, poisson arrivals")
                .contains("| phase |");
    }

    @Test
    void the_plan_splits_the_peak_into_jump_and_hold_and_runs_the_spike_shape() {
        SpikePlan plan = new SpikePlan(10, 800, Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(plan.parts())
                .extracting(
                        SpikePlan.Part::name, SpikePlan.Part::rate, SpikePlan.Part::fromNanos, SpikePlan.Part::toNanos)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("before", 10.0, 3_000_000_000L, 13_000_000_000L),
                        org.assertj.core.groups.Tuple.tuple("jump", 800.0, 13_000_000_000L, 14_000_000_000L),
                        org.assertj.core.groups.Tuple.tuple("hold", 800.0, 14_000_000_000L, 23_000_000_000L),
                        org.assertj.core.groups.Tuple.tuple("after", 10.0, 23_000_000_000L, 33_000_000_000L));
        ShapedLoadModel model = plan.model(dev.llmharness.api.Arrival.POISSON);
        assertThat(model.shape()).isEqualTo("spike");
        assertThat(model.duration()).isEqualTo(Duration.ofSeconds(33));
        assertThat(model.peakRate()).isEqualTo(800.0);
        // The warmup and "before" at the base rate, the peak for 10 s, the base again for 10 s.
        assertThat(model.expectedArrivalsAfter(Duration.ZERO)).isEqualTo(13 * 10 + 10 * 800 + 10 * 10.0);
        // A short phase keeps half of its peak for the jump.
        assertThat(new SpikePlan(1, 2, Duration.ZERO, Duration.ofMillis(800))
                        .parts()
                        .get(1)
                        .toNanos())
                .isEqualTo(1_200_000_000L);
    }

    @Test
    void the_spike_method_takes_two_rates_and_an_open_loop() {
        SelfBenchConfig s = SelfBenchConfig.spike();
        assertThat(s.ratesFor(s.setups().get(0))).containsExactly(10.0, 800.0);
        assertThat(s.ratesFor(s.setups().get(1))).containsExactly(10.0, 200.0);
        assertThat(s.harnessCpus()).isEqualTo("0");
        assertThat(s.simCpus()).isEqualTo("1");
        assertThat(SelfBench.primingLevel(s, s.setups().get(0), "open")).isEqualTo(SelfBench.PEERS_PRIMING_RATE);
        assertThatThrownBy(() -> s.withSteps(
                        List.of(SimSetup.zero()),
                        s.loads(),
                        List.of(10.0, 400.0, 800.0),
                        List.of(),
                        s.warmup(),
                        s.step(),
                        s.outputTokens()))
                .hasMessageContaining("--method spike takes two --rates, the base and the peak");
        assertThatThrownBy(() -> s.withSteps(
                        List.of(SimSetup.zero()),
                        List.of("closed"),
                        List.of(10.0, 800.0),
                        List.of(4),
                        s.warmup(),
                        s.step(),
                        s.outputTokens()))
                .hasMessageContaining("--method spike runs an open loop only");
    }
}
