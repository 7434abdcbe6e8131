package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The throughput interval, the closed loop's gated metric, on synthetic runs whose truth is known:
 * each run completes requests at its own rate (the run-to-run variation of a machine or a server,
 * log-normal around the side's rate), each second a Poisson count of them, 128 tokens each. The
 * interval must cover the true ratio of the sides' rates at about its nominal level, and an A/A
 * comparison must rarely call a REGRESSION, with several runs a side (each run's rate one
 * observation), with one (batches of the per-second timeline: only the seconds' variation, no
 * run-to-run one, is in the runs then), and with runs that replay one workload and so complete
 * the same requests in every run (their rates agree to the completion).
 */
class ThroughputCalibrationTest {
    private static final int CASES = 1_000;
    /** Requests completed per second at the side's rate. */
    private static final double RATE = 20;

    private static final int SECONDS = 30;
    private static final int TOKENS = 128;
    private static final String METRIC = MetricKey.OUTPUT_TOKENS_PER_SECOND;
    private static final CompareOptions OPTIONS =
            new CompareOptions(3, 400, 0.95, List.of(METRIC), Set.of(METRIC), Map.of(), false);

    @Test
    void threeRunsASideCoverTheTrueRatioAndRarelyCallAnAToARegression() {
        // 3 % run-to-run variation beside the seconds' Poisson noise (600 completions a run); the
        // contender serves 10 % less.
        CalibrationTally slower = simulate(3, 0.03, Math.log(0.9), 41);
        CalibrationTally same = simulate(3, 0.03, 0.0, 42);
        System.out.printf(
                "throughput, 3 runs a side: coverage %.3f (true -10 %%), A/A coverage %.3f, A/A false REGRESSION"
                        + " %.3f, -10 %% detected as REGRESSION %.3f%n",
                slower.coverage(), same.coverage(), same.regressionRate(), slower.regressionRate());
        assertThat(slower.coverage()).as("coverage of a 10 % loss").isGreaterThanOrEqualTo(0.93);
        assertThat(same.coverage()).as("coverage of no change").isGreaterThanOrEqualTo(0.93);
        assertThat(same.regressionRate()).as("A/A false REGRESSION rate").isLessThanOrEqualTo(0.025);
        // Not asserted: how often the 10 % loss is a REGRESSION (its whole interval beyond 5 %) is
        // power, not calibration; with 5 % noise a run and three runs it is low (about 1 in 9),
        // which is why the gate says "could not be decided" rather than "no change".
    }

    @Test
    void oneRunASideCoversTheTrueRatioWhenRunsDoNotVary() {
        CalibrationTally slower = simulate(1, 0.0, Math.log(0.9), 43);
        CalibrationTally same = simulate(1, 0.0, 0.0, 44);
        System.out.printf(
                "throughput, 1 run a side, no run-to-run variation: coverage %.3f (true -10 %%), A/A coverage"
                        + " %.3f, A/A false REGRESSION %.3f%n",
                slower.coverage(), same.coverage(), same.regressionRate());
        assertThat(slower.coverage()).as("coverage of a 10 % loss").isGreaterThanOrEqualTo(0.93);
        assertThat(same.coverage()).as("coverage of no change").isGreaterThanOrEqualTo(0.93);
        assertThat(same.regressionRate()).as("A/A false REGRESSION rate").isLessThanOrEqualTo(0.025);
    }

    /**
     * Runs that replay one workload: every run of a side completes the same requests, so the
     * runs' rates agree to the completion, as the default selection's closed loop does (86
     * completions a run, identical in all three base runs). The truth is the side's rate; a run
     * counts the completions that fit its window, {@code floor(rate x seconds + phase)}, the phase
     * (where the workload's completions fall against the window's edges) shared by the runs of a
     * side, plus a little jitter that now and then moves one completion in or out. Without the
     * floor of one completion's share the identical runs gave an interval of zero width, and a
     * shift of a few completions was a certain change.
     */
    @Test
    void runsThatReplayOneWorkloadCoverTheTrueRatioAndRarelyCallAnAToARegression() {
        CalibrationTally slower = replayed(Math.log(0.94), 45);
        CalibrationTally same = replayed(0.0, 46);
        System.out.printf(
                "throughput, 3 replayed runs a side (about 86 completions a run): coverage %.3f (true -6 %%), A/A"
                        + " coverage %.3f, A/A false REGRESSION %.3f, median width %.1f %%%n",
                slower.coverage(), same.coverage(), same.regressionRate(), 100 * same.medianWidth());
        assertThat(same.widths).as("no interval of zero width").allMatch(w -> w > 0);
        assertThat(slower.coverage()).as("coverage of a 6 % loss").isGreaterThanOrEqualTo(0.93);
        assertThat(same.coverage()).as("coverage of no change").isGreaterThanOrEqualTo(0.93);
        assertThat(same.regressionRate()).as("A/A false REGRESSION rate").isLessThanOrEqualTo(0.025);
    }

    private static CalibrationTally replayed(double logRatio, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            // About 86 completions in 30 s, the rate drawn afresh for each case so that where it
            // falls between two whole completions varies.
            double baseRate = 86.0 / SECONDS * Math.exp(0.05 * CalibrationTally.gaussian(random));
            double contenderRate = baseRate * Math.exp(logRatio);
            List<RunResult> base = replayedSide(random, baseRate);
            List<RunResult> contender = replayedSide(random, contenderRate);
            MetricComparison m = Comparison.compare(base, contender, OPTIONS.withSeed(seed * 1_000 + c))
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            tally.add(m, Math.exp(logRatio) - 1);
        }
        return tally;
    }

    /** Three runs replaying one workload at {@code rate}: one phase for the side, a little jitter per run. */
    private static List<RunResult> replayedSide(SplittableRandom random, double rate) {
        double phase = random.nextDouble();
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long completed = (long) Math.floor(rate * SECONDS + phase + 0.1 * CalibrationTally.gaussian(random));
            long[] perSecond = new long[SECONDS];
            for (long k = 0; k < completed; k++) {
                perSecond[(int) (k * SECONDS / completed)]++;
            }
            runs.add(run(perSecond));
        }
        return runs;
    }

    private static CalibrationTally simulate(int runs, double sigmaRun, double logRatio, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double truth = Math.exp(logRatio) - 1;
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            List<RunResult> base = new ArrayList<>();
            List<RunResult> contender = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                base.add(run(random, RATE * Math.exp(sigmaRun * CalibrationTally.gaussian(random))));
                contender.add(run(random, RATE * Math.exp(logRatio + sigmaRun * CalibrationTally.gaussian(random))));
            }
            MetricComparison m = Comparison.compare(base, contender, OPTIONS.withSeed(seed * 1_000 + c))
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            tally.add(m, truth);
        }
        return tally;
    }

    /** One closed-loop run completing Poisson(rate) requests a second for {@value #SECONDS} s. */
    private static RunResult run(SplittableRandom random, double rate) {
        long[] perSecond = new long[SECONDS];
        for (int s = 0; s < SECONDS; s++) {
            perSecond[s] = CalibrationTally.poisson(random, rate);
        }
        return run(perSecond);
    }

    /** One closed-loop run completing the given requests each second. */
    private static RunResult run(long[] perSecond) {
        List<TrialResult.Interval> timeline = new ArrayList<>();
        long completed = 0;
        for (int s = 0; s < SECONDS; s++) {
            long n = perSecond[s];
            completed += n;
            timeline.add(new TrialResult.Interval(s, n, 0, n * TOKENS));
        }
        TrialResult trial = new TrialResult(
                "Calibration.workers{concurrency=8}",
                "Calibration.workers",
                Map.of("concurrency", "8"),
                "OPENAI_CHAT",
                new TrialResult.LoadInfo("closed", null, null, null, 8, 0.0, null, null, null),
                new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 128", "cl100k_base"),
                1,
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 5, SECONDS, 1),
                new TrialResult.Counts(completed, completed, 0, 0, Map.of(), 0),
                new TrialResult.Tokens(0, completed * TOKENS, 0, "usage"),
                new TrialResult.Throughput(
                        (double) completed / SECONDS, (double) completed * TOKENS / SECONDS, 0, null),
                0.0,
                Map.of(),
                List.of(),
                timeline,
                List.of());
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(trial),
                false);
    }
}
