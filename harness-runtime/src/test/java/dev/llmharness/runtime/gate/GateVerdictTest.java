package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.compare.CompareOptions;
import dev.llmharness.runtime.compare.Comparison;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.compare.FailOn;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.SyntheticResults.Spec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's last line says what the comparison decided, never less than its report says. */
class GateVerdictTest {
    private static final String TRIAL = "Chat.chat[rate=150]";
    private static final CompareOptions OPTIONS = CompareOptions.defaults().withResamples(500);

    private static List<RunResult> runs(Spec spec, long seed, int n) {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(SyntheticResults.run(seed + i, spec));
        }
        return runs;
    }

    @Test
    void aRegressionIsNamedOnTheLastLine() {
        ComparisonReport report = Comparison.compare(
                runs(Spec.of(TRIAL), 1, 3), runs(Spec.of(TRIAL).itlScaled(1.2), 10, 3), OPTIONS);
        int code = report.exitCode(FailOn.REGRESSION);

        assertThat(code).isEqualTo(ComparisonReport.EXIT_REGRESSION);
        assertThat(GateVerdict.line(report, code, "3 base runs, 3 contender runs"))
                .startsWith("FAILED: REGRESSION: ")
                .contains("tpot.p50")
                .endsWith("(3 base runs, 3 contender runs)");
    }

    @Test
    void undecidedGatedMetricsAreCountedWhenTheGatePasses() {
        // One run a side of a short trial: its p99s cannot be decided.
        Spec small = new Spec(TRIAL, 200, 0.35, 20, 0.3, 13, 5, 20, 0);
        ComparisonReport report = Comparison.compare(runs(small, 1, 1), runs(small, 10, 1), OPTIONS);
        int undecided = report.summary().gatedInconclusive();
        int code = report.exitCode(FailOn.REGRESSION);

        assertThat(undecided).as("the scenario leaves gated metrics undecided").isPositive();
        assertThat(code).isZero();
        assertThat(GateVerdict.line(report, code, "1 base run, 1 contender run"))
                .startsWith("passed: NO GATED REGRESSION, but " + undecided + " gated metric")
                .contains("could not be decided (1 base run, 1 contender run; listed above")
                .contains("--fail-on inconclusive");

        int strict = report.exitCode(FailOn.INCONCLUSIVE);
        assertThat(GateVerdict.line(report, strict, "1 base run, 1 contender run"))
                .startsWith("FAILED under --fail-on inconclusive: " + undecided + " gated metric");
    }

    @Test
    void anAToAComparisonPassesInOneLine() {
        ComparisonReport report = Comparison.compare(runs(Spec.of(TRIAL), 1, 3), runs(Spec.of(TRIAL), 10, 3), OPTIONS);

        assertThat(GateVerdict.line(report, report.exitCode(FailOn.REGRESSION), "3 base runs, 3 contender runs"))
                .isEqualTo("passed: NO GATED REGRESSION (3 base runs, 3 contender runs)");
    }

    /**
     * A baseline trial whose id no contender trial has (a changed parameter changes the id) was
     * never gated: the last line counts it, and --fail-on inconclusive fails on it.
     */
    @Test
    void aBaselineTrialNotComparedIsCountedAndFailsUnderFailOnInconclusive() {
        Spec other = new Spec("Chat.other[rate=5]", 200, 0.35, 20, 0.3, 13, 5, 20, 0);
        List<RunResult> base = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // The same requests of TRIAL as in the A/A above: trial 0 of a run draws from its seed.
            base.add(SyntheticResults.run(1 + i, Spec.of(TRIAL), other));
        }
        ComparisonReport report = Comparison.compare(base, runs(Spec.of(TRIAL), 10, 3), OPTIONS);
        String against = "3 base runs, 3 contender runs";

        assertThat(report.onlyInBase()).containsExactly("Chat.other[rate=5]");
        assertThat(GateVerdict.line(report, report.exitCode(FailOn.REGRESSION), against))
                .isEqualTo("passed: NO GATED REGRESSION, but 1 baseline trial not compared (" + against
                        + "; listed above: a regression there would go unnoticed; --fail-on inconclusive fails on"
                        + " what could not be decided or was not compared)");
        int strict = report.exitCode(FailOn.INCONCLUSIVE);
        assertThat(strict).isEqualTo(ComparisonReport.EXIT_REGRESSION);
        assertThat(GateVerdict.line(report, strict, against))
                .isEqualTo("FAILED under --fail-on inconclusive: 1 baseline trial not compared (" + against
                        + "; listed above)");
    }

    /**
     * A gated percentile the sample cannot decide (tpot.p99 of about 300 requests) is gated on a
     * lower one: the gate judged the p90 instead, and its last line counts the replacement, which
     * does not fail under --fail-on inconclusive (the p90 was decided).
     */
    @Test
    void aPercentileGatedOnALowerOneIsCountedOnTheLastLine() {
        Spec small = new Spec(TRIAL, 200, 0.35, 20, 0.3, 13, 15, 20, 0);
        ComparisonReport report = Comparison.compare(
                runs(small, 1, 1), runs(small, 10, 1), OPTIONS.withGate(java.util.Set.of("tpot.p99")));
        String against = "1 base run, 1 contender run";

        assertThat(report.gatedOnALowerPercentile())
                .singleElement()
                .satisfies(f -> assertThat(f.metric().metric()).isEqualTo("tpot.p99"));
        assertThat(report.summary().gatedInconclusive())
                .as("the p90 in its place is decided")
                .isZero();
        assertThat(report.exitCode(FailOn.INCONCLUSIVE)).isZero();
        assertThat(GateVerdict.line(report, report.exitCode(FailOn.REGRESSION), against))
                .isEqualTo("passed: NO GATED REGRESSION, but 1 gated percentile gated on a lower one (" + against
                        + "; listed above)");
    }

    @Test
    void aComparisonThatRefusedItsInputSaysSo() {
        assertThat(GateVerdict.line(null, ComparisonReport.EXIT_INPUT_ERROR, "against baseline.json"))
                .startsWith("FAILED: llmh compare could not compare the results (exit code 2");
    }
}
