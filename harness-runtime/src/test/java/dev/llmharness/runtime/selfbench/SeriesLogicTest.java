package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesLogicTest {
    /** Synthetic steps: clean up to {@code limit}, then harness-limited (dispatch lag p99 3 ms, 2 % late). */
    private static SelfBench.StepMeasure behindAbove(double limit, List<Double> measured) {
        return level -> {
            measured.add(level);
            StepFigures f = StopCriteriaTest.clean("open", level);
            return level <= limit ? f : StopCriteriaTest.with(f, 3.0, 0.2, level * 128, level, 0);
        };
    }

    @Test
    void the_series_stops_at_the_first_step_that_falls_behind_and_reports_the_one_before() throws Exception {
        List<Double> measured = new ArrayList<>();
        List<StepResult> seen = new ArrayList<>();
        SeriesResult s = SelfBench.runSeries(
                "zero",
                "open",
                List.of(100.0, 200.0, 400.0, 800.0),
                behindAbove(200, measured),
                StopCriteria.DEFAULT,
                false,
                seen::add);
        assertThat(measured).containsExactly(100.0, 200.0, 400.0);
        assertThat(seen).hasSize(3);
        assertThat(s.steps()).extracting(StepResult::clean).containsExactly(true, true, false);
        assertThat(s.highestClean()).isEqualTo(200.0);
        assertThat(s.fellBehind()).isTrue();
    }

    @Test
    void when_every_step_is_clean_the_last_one_is_the_highest_and_the_limit_is_unknown() throws Exception {
        SeriesResult s = SelfBench.runSeries(
                "zero",
                "open",
                List.of(100.0, 200.0),
                behindAbove(1e9, new ArrayList<>()),
                StopCriteria.DEFAULT,
                false,
                r -> {});
        assertThat(s.highestClean()).isEqualTo(200.0);
        assertThat(s.fellBehind()).isFalse();
        SelfBenchReport report = report(s);
        assertThat(report.capacityLines())
                .containsExactly("zero, open loop: clean up to 200 requests/s (every step clean; the limit is higher)");
    }

    @Test
    void a_first_step_that_falls_behind_leaves_no_clean_step() throws Exception {
        SeriesResult s = SelfBench.runSeries(
                "zero",
                "closed",
                List.of(10.0, 20.0),
                behindAbove(1, new ArrayList<>()),
                StopCriteria.DEFAULT,
                false,
                r -> {});
        assertThat(s.steps()).hasSize(1);
        assertThat(s.highestClean()).isNull();
        assertThat(report(s).capacityLines()).containsExactly("zero, closed loop: no clean step (fell behind at 10)");
    }

    @Test
    void keep_going_runs_every_step_but_a_clean_step_after_a_fall_does_not_count() throws Exception {
        List<Double> measured = new ArrayList<>();
        SelfBench.StepMeasure dipAt200 = level -> {
            measured.add(level);
            StepFigures f = StopCriteriaTest.clean("open", level);
            return level == 200 ? StopCriteriaTest.with(f, 3.0, 0.2, level * 128, level, 0) : f;
        };
        SeriesResult s = SelfBench.runSeries(
                "zero", "open", List.of(100.0, 200.0, 400.0), dipAt200, StopCriteria.DEFAULT, true, r -> {});
        assertThat(measured).containsExactly(100.0, 200.0, 400.0);
        assertThat(s.highestClean()).isEqualTo(100.0);
        assertThat(report(s).capacityLines())
                .containsExactly("zero, open loop: clean up to 100 requests/s (fell behind at 200)");
    }

    @Test
    void the_report_renders_a_table_markdown_and_json_with_unmeasured_figures_as_null() throws Exception {
        SeriesResult s = SelfBench.runSeries(
                "fixed-itl(ttft=20ms, itl=20ms)",
                "closed",
                List.of(10.0),
                level -> StopCriteriaTest.clean("closed", level),
                StopCriteria.DEFAULT,
                false,
                r -> {});
        SelfBenchReport report = report(s);
        String md = report.toMarkdown();
        assertThat(md)
                .contains("| fixed-itl(ttft=20ms, itl=20ms) | closed | 10 | - |")
                .contains("| clean |");
        String json = report.toJson();
        assertThat(json).contains("\"offeredRate\" : null").contains("\"highestClean\" : 10.0");
        assertThat(SelfBenchReport.tableRow(s.steps().get(0))).endsWith("clean");
    }

    @Test
    void steps_must_rise_and_presets_must_be_ones_selfbench_understands() {
        SelfBenchConfig d = SelfBenchConfig.defaults();
        assertThatThrownBy(() -> d.withSteps(
                        d.setups(), d.loads(), List.of(200.0, 100.0), d.concurrencies(), d.warmup(), d.step(), 8))
                .hasMessageContaining("--rates must rise");
        assertThatThrownBy(() -> new SimSetup("default", Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("zero or fixed-itl");
        assertThatThrownBy(() -> d.withSteps(
                        d.setups(), List.of("sideways"), d.rates(), d.concurrencies(), d.warmup(), d.step(), 8))
                .hasMessageContaining("--loads takes open and/or closed");
    }

    @Test
    void thePeersMethodPrimesAtUpTo200RequestsPerSecondTheStepsMethodAtItsLowestStep() {
        SelfBenchConfig peers = SelfBenchConfig.peers();
        assertThat(SelfBench.primingLevel(peers, peers.setups().get(0), "open")).isEqualTo(200.0);
        assertThat(SelfBench.primingLevel(peers, SimSetup.zero().withRates(List.of(300.0, 400.0)), "open"))
                .isEqualTo(300.0);
        SelfBenchConfig steps = SelfBenchConfig.defaults();
        assertThat(SelfBench.primingLevel(steps, steps.setups().get(0), "open")).isEqualTo(100.0);
        assertThat(SelfBench.primingLevel(steps, steps.setups().get(0), "closed"))
                .isEqualTo(10.0);
    }

    private static SelfBenchReport report(SeriesResult s) {
        SelfBenchConfig c = SelfBenchConfig.defaults();
        return new SelfBenchReport(
                "2026-01-01T00:00:00Z",
                "17",
                List.of("-Xmx1g"),
                "platform",
                2,
                3,
                5,
                64,
                128,
                List.of(),
                null,
                null,
                c.criteria(),
                "constant",
                "steps",
                List.of(s),
                "threads",
                "idle");
    }
}
