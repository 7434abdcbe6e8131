package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.report.ConsoleReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stability figure of a shaped trial ("N % of windows met the SLO"): there whenever the trial
 * follows a shape and has objectives a window can judge, whether or not it declares a per-window
 * objective, and absent for one constant rate.
 */
class WindowSloFigureTest {
    private static final TrialResult.LoadInfo SPIKE = new TrialResult.LoadInfo(
            "open", "POISSON", 50.0, 0, null, null, "spike", 1.0, "spike POISSON 10 ⇒ 50 → 50 over 20s req/s");

    /** A 60 s trial at 50 requests/s whose TTFTs are about 200 ms, with the given load and objectives. */
    private static TrialResult trial(TrialResult.LoadInfo load, List<TrialResult.SloVerdict> slo) {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("w").rate(50, 60), 3);
        return SyntheticResults.edit(t)
                .load(load == null ? t.load() : load)
                .slo(slo)
                .build();
    }

    @Test
    void aShapedTrialWithObjectivesHasItsPerWindowFigureWithoutAWindowsObjective() {
        TrialResult tight =
                trial(SPIKE, List.of(TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 100ms", 100, 200.0)));
        WindowSlo figure = WindowSlo.figure(tight).orElseThrow();
        assertThat(figure.seconds()).isEqualTo(WindowSlo.DEFAULT_SECONDS);
        assertThat(figure.describe()).isEqualTo("0 of 6 windows of 10 s (0 %) met the SLO");
        TrialResult loose =
                trial(SPIKE, List.of(TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 10s", 10_000, 200.0)));
        assertThat(WindowSlo.figure(loose).orElseThrow().describe())
                .isEqualTo("6 of 6 windows of 10 s (100 %) met the SLO");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReport.printTrial(new PrintStream(bytes, true, StandardCharsets.UTF_8), tight);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("   over time: 0 of 6 windows of 10 s (0 %) met the SLO (a figure, not an objective)");
    }

    @Test
    void theFigureUsesTheDeclaredWindowWhenThereIsOne() {
        TrialResult t = trial(
                SPIKE,
                List.of(
                        TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 10s", 10_000, 200.0),
                        TrialResult.SloVerdict.windows("windows >= 90% of 20s", 0.9, 20, 1.0)));
        assertThat(WindowSlo.figure(t).orElseThrow().describe())
                .isEqualTo("3 of 3 windows of 20 s (100 %) met the SLO");
    }

    @Test
    void aConstantRateOrATrialWithoutJudgeableObjectivesHasNoFigure() {
        TrialResult constant =
                trial(null, List.of(TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 100ms", 100, 200.0)));
        assertThat(constant.load().shape()).isNull();
        assertThat(WindowSlo.figure(constant)).isEmpty();
        assertThat(WindowSlo.figure(trial(SPIKE, List.of()))).isEmpty();
        // TPOT is not in the timeline: no window can judge it.
        TrialResult tpot =
                trial(SPIKE, List.of(TrialResult.SloVerdict.latency("tpot", 99, "tpot p99 <= 1s", 1_000, 20.0)));
        assertThat(WindowSlo.figure(tpot)).isEmpty();
        // The error rate is judged on each window's own counts.
        TrialResult errors = trial(SPIKE, List.of(TrialResult.SloVerdict.errorRate(0.5, 0.0)));
        assertThat(WindowSlo.figure(errors).orElseThrow().met()).isEqualTo(6);
    }
}
