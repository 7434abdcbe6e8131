package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.StagedClosedLoopModel;
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
 * Calibration of {@code compare}'s throughput on trials whose offered load varies by design, on
 * synthetic timelines whose truth is known. Open loop: a step test of 25, 50, 75 and 100
 * requests/s, 15 s each, every side drawing its own Poisson arrivals (as with different seeds: the
 * harder case; the gate's runs share one schedule). Each request completes with probability {@code
 * q} in its own second or the next (else it fails), so the share of the offer a side completes is
 * {@code q}, less what the last second leaves to the drain. Closed loop: workers in stages of 8,
 * 16, 24 and 32, 15 s each, each worker completing a Poisson number of requests a second at the
 * server's per-worker rate. The designed swings are not noise: an A/A comparison calls a
 * difference in at most 5 % of the cases and its interval covers the truth, and a 10 % loss is
 * covered too (and, for the open loop's share, a REGRESSION).
 */
class ShapedThroughputCalibrationTest {
    private static final int CASES = 400;
    private static final int LEVEL_SECONDS = 15;
    private static final double[] LEVELS = {25, 50, 75, 100};
    private static final String THROUGHPUT = "requestsPerSecond";
    private static final CompareOptions OPTIONS =
            new CompareOptions(7, 400, 0.95, List.of(THROUGHPUT), Set.of(THROUGHPUT), Map.of(THROUGHPUT, 0.05), false);

    @Test
    void anAToAComparisonOfAStepCallsNoDifferenceBeyondItsNominalRate() {
        CalibrationTally t = simulate("step", 0.99, 0.99, 41);
        report("step, A/A", t);
        assertThat(t.differenceRate())
                .as("A/A REGRESSION or IMPROVEMENT rate at the 5 %% threshold")
                .isLessThanOrEqualTo(0.05);
        assertThat(t.coverage()).as("coverage of the true ratio 1").isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void aTenPercentThroughputLossInAStepIsARegression() {
        CalibrationTally t = simulate("step", 0.99, 0.99 * 0.9, 42);
        report("step, 10 % loss", t);
        assertThat(t.regressionRate())
                .as("a 10 %% loss (truth -10 %%) detected as a REGRESSION at the 5 %% threshold")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(t.coverage()).as("coverage of the true ratio 0.9").isGreaterThanOrEqualTo(0.93);
    }

    /**
     * A constant rate, a soak and a closed loop of fixed workers keep the batches of raw
     * per-second completions: given the same timelines, a soak's verdict and interval are a
     * constant rate's to the digit, and differ from a step's (whose interval no longer counts the
     * swings of the offer).
     */
    @Test
    void constantRatesSoaksAndFixedWorkersKeepTheRawTimeline() {
        SplittableRandom random = new SplittableRandom(43);
        long[][] base = sideTimeline(random, 0.99);
        long[][] contender = sideTimeline(random, 0.99 * 0.9);
        MetricComparison constant = compare(null, "open", base, contender, 1);
        MetricComparison soak = compare("soak", "open", base, contender, 1);
        MetricComparison closed = compare(null, "closed", base, contender, 1);
        MetricComparison step = compare("step", "open", base, contender, 1);
        assertThat(soak.changeLow()).isEqualTo(constant.changeLow());
        assertThat(soak.changeHigh()).isEqualTo(constant.changeHigh());
        assertThat(closed.changeLow()).isEqualTo(constant.changeLow());
        assertThat(closed.changeHigh()).isEqualTo(constant.changeHigh());
        // The raw timeline counts the step's swings from 25 to 100 requests/s as noise.
        assertThat(constant.changeHigh() - constant.changeLow())
                .isGreaterThan(4 * (step.changeHigh() - step.changeLow()));
        assertThat(constant.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(step.verdict()).isEqualTo(Verdict.REGRESSION);
        System.out.printf(
                java.util.Locale.ROOT,
                "a 10 %% loss in a step: raw timeline [%+.1f %%, %+.1f %%] %s, offered share [%+.1f %%, %+.1f %%] %s%n",
                100 * constant.changeLow(),
                100 * constant.changeHigh(),
                constant.verdict(),
                100 * step.changeLow(),
                100 * step.changeHigh(),
                step.verdict());
    }

    @Test
    void workersInStagesAreComparedPerWorkerSecondNotAsRawCompletions() {
        CalibrationTally same = simulateWorkers(1.0, 51);
        CalibrationTally slower = simulateWorkers(0.9, 52);
        report("worker stages, A/A", same);
        report("worker stages, 10 % loss", slower);
        assertThat(same.differenceRate())
                .as("A/A REGRESSION or IMPROVEMENT rate at the 5 %% threshold")
                .isLessThanOrEqualTo(0.05);
        assertThat(same.coverage()).as("coverage of the true ratio 1").isGreaterThanOrEqualTo(0.93);
        assertThat(slower.coverage()).as("coverage of the true ratio 0.9").isGreaterThanOrEqualTo(0.93);
        assertThat(slower.improvementRate()).as("a loss never an IMPROVEMENT").isZero();

        // The same timelines as fixed workers (no shape): the stages' designed swings from 32 to
        // 128 completions a second count as noise, an interval many times as wide.
        SplittableRandom random = new SplittableRandom(53);
        long[][] base = workerTimeline(random, 1.0);
        long[][] contender = workerTimeline(random, 0.9);
        MetricComparison staged = compare(StagedClosedLoopModel.STAGES, "closed", base, contender, 1);
        MetricComparison raw = compare(null, "closed", base, contender, 1);
        assertThat(raw.changeHigh() - raw.changeLow()).isGreaterThan(4 * (staged.changeHigh() - staged.changeLow()));
        System.out.printf(
                java.util.Locale.ROOT,
                "a 10 %% loss with worker stages: raw timeline [%+.1f %%, %+.1f %%] %s, per worker-second [%+.1f %%,"
                        + " %+.1f %%] %s%n",
                100 * raw.changeLow(),
                100 * raw.changeHigh(),
                raw.verdict(),
                100 * staged.changeLow(),
                100 * staged.changeHigh(),
                staged.verdict());

        // A file written before the timeline recorded in-flight time: compared as raw completions,
        // and the row says why the interval is wide.
        MetricComparison old =
                compare(StagedClosedLoopModel.STAGES, "closed", withoutInFlight(base), withoutInFlight(contender), 1);
        assertThat(old.changeLow()).isEqualTo(raw.changeLow());
        assertThat(old.reason()).startsWith("the load varies by design, but the timeline does not record");
    }

    private static CalibrationTally simulateWorkers(double factor, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            long[][] base = workerTimeline(random, 1.0);
            long[][] contender = workerTimeline(random, factor);
            tally.add(compare(StagedClosedLoopModel.STAGES, "closed", base, contender, seed * 1_000 + c), factor - 1);
        }
        return tally;
    }

    /** Requests a worker completes per second at factor 1. */
    private static final double PER_WORKER = 4;

    /**
     * One closed-loop side's {@code {completed, failed, started, inFlightMicros}} per second:
     * workers in stages of 8, 16, 24 and 32, {@value #LEVEL_SECONDS} s each, always busy (no think
     * time), completing Poisson({@link #PER_WORKER} x factor) requests a second; one second of
     * drain after the window.
     */
    private static long[][] workerTimeline(SplittableRandom random, double factor) {
        int window = LEVELS.length * LEVEL_SECONDS;
        long[] completed = new long[window + 1];
        long[] failed = new long[window + 1];
        long[] started = new long[window + 1];
        long[] inFlight = new long[window + 1];
        for (int s = 0; s < window; s++) {
            int workers = 8 * (1 + s / LEVEL_SECONDS);
            completed[s] = CalibrationTally.poisson(random, workers * PER_WORKER * factor);
            started[s] = completed[s];
            inFlight[s] = workers * 1_000_000L;
        }
        return new long[][] {completed, failed, started, inFlight};
    }

    private static long[][] withoutInFlight(long[][] side) {
        return new long[][] {side[0], side[1], side[2]};
    }

    private static CalibrationTally simulate(String shape, double baseShare, double contenderShare, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            long[][] base = sideTimeline(random, baseShare);
            long[][] contender = sideTimeline(random, contenderShare);
            tally.add(compare(shape, "open", base, contender, seed * 1_000 + c), contenderShare / baseShare - 1);
        }
        return tally;
    }

    private static MetricComparison compare(String shape, String model, long[][] base, long[][] contender, long seed) {
        return Comparison.compare(
                        List.of(runOf(shape, model, base)),
                        List.of(runOf(shape, model, contender)),
                        OPTIONS.withSeed(seed))
                .trials()
                .get(0)
                .metrics()
                .get(0);
    }

    /**
     * One side's {@code {completed, failed, started}} per second: its window of 60 s, then one
     * second of drain (completions after the window, which throughput does not count).
     */
    private static long[][] sideTimeline(SplittableRandom random, double share) {
        int window = LEVELS.length * LEVEL_SECONDS;
        long[] completed = new long[window + 1];
        long[] failed = new long[window + 1];
        long[] started = new long[window + 1];
        for (int s = 0; s < window; s++) {
            long n = CalibrationTally.poisson(random, LEVELS[s / LEVEL_SECONDS]);
            started[s] = n;
            for (long r = 0; r < n; r++) {
                int end = s + (random.nextDouble() < 0.6 ? 0 : 1);
                if (random.nextDouble() < share) {
                    completed[end]++;
                } else {
                    failed[end]++;
                }
            }
        }
        return new long[][] {completed, failed, started};
    }

    private static RunResult runOf(String shape, String model, long[][] side) {
        int window = LEVELS.length * LEVEL_SECONDS;
        List<TrialResult.Interval> timeline = new ArrayList<>();
        long inWindow = 0;
        long completed = 0;
        long failed = 0;
        long sent = 0;
        for (int s = 0; s < side[0].length; s++) {
            Long inFlight =
                    side.length > 3 ? Long.valueOf(side[3][s]) : "closed".equals(model) ? null : Long.valueOf(0);
            timeline.add(new TrialResult.Interval(s, side[0][s], side[1][s], 0, side[2][s], inFlight, null));
            completed += side[0][s];
            failed += side[1][s];
            sent += side[2][s];
            if (s < window) {
                inWindow += side[0][s];
            }
        }
        // One id whatever the load, so that two comparisons of the same timelines differ by their
        // load alone.
        String param = "rate";
        String value = "20";
        TrialResult.LoadInfo load = "open".equals(model)
                ? new TrialResult.LoadInfo("open", "POISSON", 100.0, 0, null, null, shape, 1.0, null)
                : new TrialResult.LoadInfo("closed", null, null, null, 8, 0.0, shape, null, null);
        TrialResult trial = new TrialResult(
                "Calibration.chat{" + param + "=" + value + "}",
                "Calibration.chat",
                Map.of(param, value),
                "OPENAI_CHAT",
                load,
                new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 128", "cl100k_base"),
                1,
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 0, window, 1),
                new TrialResult.Counts(sent, completed, failed, 0, Map.of("http_5xx", failed), 0),
                new TrialResult.Tokens(0, 0, 0, "usage"),
                new TrialResult.Throughput((double) inWindow / window, 0, 0, null),
                completed + failed == 0 ? null : (double) failed / (completed + failed),
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

    private static void report(String what, CalibrationTally t) {
        System.out.printf(
                java.util.Locale.ROOT,
                "shaped throughput calibration, %s: %d cases, coverage %.3f, REGRESSION %.3f, IMPROVEMENT %.3f,"
                        + " median width %.1f %%%n",
                what,
                t.cases,
                t.coverage(),
                t.regressionRate(),
                (double) t.improvements / t.cases,
                100 * t.medianWidth());
    }
}
