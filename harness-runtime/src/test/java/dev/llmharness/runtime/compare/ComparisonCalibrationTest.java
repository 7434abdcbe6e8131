package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Calibration of {@code llmh compare} on synthetic runs whose truth is known, with no timing
 * involved. Two kinds of runs:
 *
 * <ul>
 *   <li>fresh requests: each run draws a run effect (the machine, the server's state: log-normal,
 *       sd {@code sigmaRun}) and then its requests (log-normal around the run's median, sd {@code
 *       sigmaRequest});
 *   <li>a replayed workload, as the gate's runs are (every run of both sides replays the same
 *       seeded prompts at the same instants): one set of requests per comparison, each run the
 *       same requests times its run effect, with a little per-request jitter.
 * </ul>
 *
 * The contender's true percentile is the base's times {@code exp(delta)}. A calibrated method
 * covers the true ratio with its nominal 95 % interval in about 95 % of the cases (at least 93 %
 * asserted) and, comparing a side with itself, calls a REGRESSION in at most 5 %.
 */
class ComparisonCalibrationTest {
    private static final int CASES = 1_000;
    private static final double MEDIAN_MS = 50;
    /** Requests of one replayed workload (one comparison), their spread (log-sd) in the workload. */
    private static final int REPLAY_REQUESTS = 300;

    private static final double WORKLOAD_SIGMA = 0.5;
    /** What varies between replaying runs: the run's effect (log-sd) and each request's jitter. */
    private static final double REPLAY_RUN_SIGMA = 0.05;

    private static final double JITTER_SIGMA = 0.02;
    private static final CompareOptions OPTIONS =
            new CompareOptions(7, 400, 0.95, List.of("ttft.p50"), Set.of("ttft.p50"), Map.of(), false);

    @Test
    void severalRunsPerSideCoverTheTrueDifferenceAtTheNominalLevel() {
        CalibrationTally t = simulate(5, 0.08, 0.5, 300, 0.1, 11);
        report("5 runs a side, +10.5 %", t);
        assertThat(t.coverage())
                .as("coverage of the true +10.5 %% over %d cases, with run-to-run variation", CASES)
                .isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void severalRunsPerSideRarelyCallARegressionBetweenIdenticalSides() {
        CalibrationTally t = simulate(5, 0.08, 0.5, 300, 0.0, 12);
        report("5 runs a side, A/A", t);
        assertThat(t.coverage()).isGreaterThanOrEqualTo(0.93);
        assertThat(t.regressionRate())
                .as("A/A false REGRESSION rate at the default 5 %% threshold")
                .isLessThanOrEqualTo(0.05);
        assertThat(t.aboveZeroRate())
                .as("A/A: intervals wholly above 0 (a REGRESSION with no threshold): one tail of 95 %%")
                .isLessThanOrEqualTo(0.05);
    }

    @Test
    void oneRunPerSideIsCalibratedForRequestLevelVariation() {
        // With one run a side, run-to-run variation cannot be estimated (the report says so);
        // the request-level interval must still be right when there is none.
        CalibrationTally t = simulate(1, 0.0, 0.5, 600, 0.0, 14);
        report("1 run a side, A/A, no run-to-run variation", t);
        assertThat(t.coverage()).isGreaterThanOrEqualTo(0.93);
        assertThat(t.regressionRate()).isLessThanOrEqualTo(0.05);
        assertThat(t.aboveZeroRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void threeRunsThatReplayOneWorkloadCoverTheTruthRarelyCallARegressionAndNarrowTheTwoStageInterval() {
        CalibrationTally t = replay(0.0, 31);
        report("3 runs a side replaying one workload, A/A", t);
        assertThat(t.coverage()).isGreaterThanOrEqualTo(0.93);
        assertThat(t.regressionRate())
                .as("A/A false REGRESSION rate at the default 5 %% threshold")
                .isLessThanOrEqualTo(0.05);
        assertThat(t.aboveZeroRate()).isLessThanOrEqualTo(0.05);
        // The point of the run-level interval: the runs of a replayed workload vary less than its
        // requests do, and the two-stage bootstrap counted the requests' spread on top of the runs'.
        assertThat(t.widths).hasSize(CASES);
        assertThat(t.twoStageWidths).hasSize(CASES);
        assertThat(CalibrationTally.median(t.widths))
                .as("median interval width, run-level against the two-stage bootstrap")
                .isLessThan(CalibrationTally.median(t.twoStageWidths));
    }

    @Test
    void threeRunsThatReplayOneWorkloadCoverAKnownShift() {
        CalibrationTally t = replay(0.1, 32);
        report("3 runs a side replaying one workload, +10.5 %", t);
        assertThat(t.coverage())
                .as("coverage of the true +10.5 %% over %d cases", CASES)
                .isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void threeRunsDrawingFreshRequestsCoverTheTruthAndRarelyCallAnAToARegression() {
        CalibrationTally aa = simulate(3, 0.08, 0.5, 300, 0.0, 33);
        report("3 runs a side, fresh requests, A/A", aa);
        assertThat(aa.coverage()).isGreaterThanOrEqualTo(0.93);
        assertThat(aa.regressionRate()).isLessThanOrEqualTo(0.05);
        assertThat(aa.aboveZeroRate()).isLessThanOrEqualTo(0.05);
        CalibrationTally shifted = simulate(3, 0.08, 0.5, 300, 0.1, 34);
        report("3 runs a side, fresh requests, +10.5 %", shifted);
        assertThat(shifted.coverage()).isGreaterThanOrEqualTo(0.93);
    }

    /**
     * {@link #CASES} comparisons of 3 runs a side that replay one workload (drawn afresh for each
     * comparison, shared by both sides), the contender's runs times {@code exp(delta)}; also the
     * width the two-stage bootstrap would have given on the same runs.
     */
    private static CalibrationTally replay(double delta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double truth = Math.exp(delta) - 1;
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            double[] workload = new double[REPLAY_REQUESTS];
            for (int i = 0; i < workload.length; i++) {
                workload[i] = MEDIAN_MS * Math.exp(WORKLOAD_SIGMA * CalibrationTally.gaussian(random));
            }
            List<RunResult> base = new ArrayList<>();
            List<RunResult> contender = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                base.add(replayed(random, workload, 0.0));
                contender.add(replayed(random, workload, delta));
            }
            CompareOptions options = OPTIONS.withSeed(seed * 1_000 + c);
            MetricComparison m = Comparison.compare(base, contender, options)
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            tally.add(m, truth);
            tally.twoStageWidths.add(twoStageWidth(base, contender, Math.log1p(m.change()), options));
        }
        return tally;
    }

    /** One run of the workload: every request times the run's effect and its own small jitter. */
    private static RunResult replayed(SplittableRandom random, double[] workload, double delta) {
        double runEffect = Math.exp(delta + REPLAY_RUN_SIGMA * CalibrationTally.gaussian(random));
        Histogram ttft = Metric.TTFT.newHistogram();
        for (double ms : workload) {
            double jittered = ms * runEffect * Math.exp(JITTER_SIGMA * CalibrationTally.gaussian(random));
            Histograms.recordLatency(ttft, (long) (jittered * 1_000_000));
        }
        return runOf(ttft, workload.length);
    }

    /**
     * The width of the interval that the method before the run-level one gave on the same runs: a
     * two-stage bootstrap (runs with replacement, then requests within the chosen runs), each side's
     * replicate variance of the log median times k / (k - 1), Welch's t from the run counts.
     */
    private static double twoStageWidth(
            List<RunResult> base, List<RunResult> contender, double logRatio, CompareOptions options) {
        RandomDraws draws = new RandomDraws(options.seed());
        double vb = twoStageVariance(base, draws, options.resamples());
        double vc = twoStageVariance(contender, draws, options.resamples());
        double[] interval =
                RunLevelInterval.ofLogRatio(logRatio, vb, base.size(), vc, contender.size(), options.confidence());
        return interval[1] - interval[0];
    }

    private static double twoStageVariance(List<RunResult> runs, RandomDraws draws, int replicates) {
        List<Histogram> histograms = new ArrayList<>();
        long[] counts = new long[runs.size()];
        for (int r = 0; r < runs.size(); r++) {
            Histogram h =
                    runs.get(r).trials().get(0).metrics().get(Metric.TTFT.key()).decodeHistogram();
            histograms.add(h);
            counts[r] = h.getTotalCount();
        }
        PercentileBootstrap bootstrap = new PercentileBootstrap(histograms, counts, 50);
        double[] logs = new double[replicates];
        for (int i = 0; i < replicates; i++) {
            logs[i] = Math.log(Math.max(1, bootstrap.replicate(draws)));
        }
        int k = runs.size();
        return RunLevelInterval.variance(logs) * k / (k - 1);
    }

    private static void report(String what, CalibrationTally t) {
        String width = t.widths.isEmpty() ? "n/a" : percent(CalibrationTally.median(t.widths));
        if (!t.twoStageWidths.isEmpty()) {
            width += " (two-stage bootstrap " + percent(CalibrationTally.median(t.twoStageWidths)) + ")";
        }
        System.out.printf(
                java.util.Locale.ROOT,
                "calibration, %s: %d cases, coverage %.3f, REGRESSION %.3f, interval above 0 %.3f,"
                        + " median width %s%n",
                what,
                t.cases,
                t.coverage(),
                t.regressionRate(),
                t.aboveZeroRate(),
                width);
    }

    private static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    @Test
    void oneRunPerSideWithRunToRunVariationIsFlaggedAsOptimistic() {
        SplittableRandom random = new SplittableRandom(16);
        ComparisonReport r = Comparison.compare(
                List.of(run(random, 0.0, 0.5, 300, 0.0)), List.of(run(random, 0.0, 0.5, 300, 0.0)), OPTIONS);
        assertThat(r.warnings()).anyMatch(w -> w.contains("optimistic"));
    }

    @Test
    void theErrorRateIntervalCoversRunToRunVariation() {
        // Each run's failure probability varies around 2 % (logit-normal, sd 0.6): a busy machine,
        // a server that warmed up differently. The contender fails about 1.5 points more often.
        CompareOptions errors =
                new CompareOptions(7, 400, 0.95, List.of("errorRate"), Set.of("errorRate"), Map.of(), false);
        SplittableRandom random = new SplittableRandom(21);
        double base = -3.9;
        double contender = -3.3;
        double truth = meanRate(contender, 0.6) - meanRate(base, 0.6);
        int covered = 0;
        int aaRegressions = 0;
        for (int c = 0; c < CASES; c++) {
            List<RunResult> b = new ArrayList<>();
            List<RunResult> k = new ArrayList<>();
            List<RunResult> a = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                b.add(failing(random, base, 0.6, 400));
                k.add(failing(random, contender, 0.6, 400));
                a.add(failing(random, base, 0.6, 400));
            }
            MetricComparison m = Comparison.compare(b, k, errors.withSeed(c))
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            if (m.changeLow() <= truth && truth <= m.changeHigh()) {
                covered++;
            }
            MetricComparison aa = Comparison.compare(b, a, errors.withSeed(c))
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            if (aa.verdict() == Verdict.REGRESSION) {
                aaRegressions++;
            }
        }
        System.out.printf(
                "error rate, 3 runs a side, true +%.2f pp: coverage %.3f, A/A false REGRESSION rate %.3f%n",
                truth * 100, (double) covered / CASES, (double) aaRegressions / CASES);
        assertThat((double) covered / CASES)
                .as("coverage of the true difference with run-to-run variation")
                .isGreaterThanOrEqualTo(0.93);
        assertThat((double) aaRegressions / CASES)
                .as("A/A false REGRESSION rate")
                .isLessThanOrEqualTo(0.05);
    }

    /** The mean of logistic(logit + sd * N(0, 1)), by quadrature over the normal. */
    private static double meanRate(double logit, double sd) {
        double sum = 0;
        double weights = 0;
        for (int i = -4000; i <= 4000; i++) {
            double z = i / 500.0;
            double w = Math.exp(-z * z / 2);
            sum += w / (1 + Math.exp(-(logit + sd * z)));
            weights += w;
        }
        return sum / weights;
    }

    /** One run whose requests fail with a run-level probability logistic(logit + sd * N(0, 1)). */
    private static RunResult failing(SplittableRandom random, double logit, double sd, int requests) {
        double p = 1 / (1 + Math.exp(-(logit + sd * CalibrationTally.gaussian(random))));
        long failed = 0;
        for (int i = 0; i < requests; i++) {
            failed += random.nextDouble() < p ? 1 : 0;
        }
        TrialResult trial = new TrialResult(
                "Calibration.chat{rate=10}",
                "Calibration.chat",
                Map.of("rate", "10"),
                "OPENAI_CHAT",
                new TrialResult.LoadInfo("open", "POISSON", 10.0, 0, null, null, null, null, null),
                new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 128", "cl100k_base"),
                1,
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 5, 40, 1),
                new TrialResult.Counts(requests, requests - failed, failed, 0, Map.of("http_5xx", failed), 0),
                new TrialResult.Tokens(0, 0, 0, "usage"),
                new TrialResult.Throughput(requests / 40.0, 0, 0, null),
                (double) failed / requests,
                Map.of(),
                List.of(),
                List.of(),
                List.of());
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(trial),
                false);
    }

    private static CalibrationTally simulate(
            int runs, double sigmaRun, double sigmaRequest, int requests, double delta, long seed) {
        return simulate(runs, sigmaRun, sigmaRequest, requests, delta, seed, OPTIONS);
    }

    private static CalibrationTally simulate(
            int runs,
            double sigmaRun,
            double sigmaRequest,
            int requests,
            double delta,
            long seed,
            CompareOptions options) {
        SplittableRandom random = new SplittableRandom(seed);
        double truth = Math.exp(delta) - 1;
        CalibrationTally tally = new CalibrationTally();
        for (int c = 0; c < CASES; c++) {
            List<RunResult> base = new ArrayList<>();
            List<RunResult> contender = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                base.add(run(random, sigmaRun, sigmaRequest, requests, 0.0));
                contender.add(run(random, sigmaRun, sigmaRequest, requests, delta));
            }
            MetricComparison m = Comparison.compare(base, contender, options.withSeed(seed * 1_000 + c))
                    .trials()
                    .get(0)
                    .metrics()
                    .get(0);
            tally.add(m, truth);
        }
        return tally;
    }

    /** One run of one open-loop trial whose only metric is TTFT, its requests drawn afresh. */
    private static RunResult run(
            SplittableRandom random, double sigmaRun, double sigmaRequest, int requests, double delta) {
        double runMedian = MEDIAN_MS * Math.exp(delta + sigmaRun * CalibrationTally.gaussian(random));
        Histogram ttft = Metric.TTFT.newHistogram();
        for (int i = 0; i < requests; i++) {
            double ms = runMedian * Math.exp(sigmaRequest * CalibrationTally.gaussian(random));
            Histograms.recordLatency(ttft, (long) (ms * 1_000_000));
        }
        return runOf(ttft, requests);
    }

    /** One run of one open-loop trial whose only metric is the given TTFT histogram. */
    private static RunResult runOf(Histogram ttft, int requests) {
        TrialResult trial = new TrialResult(
                "Calibration.chat{rate=10}",
                "Calibration.chat",
                Map.of("rate", "10"),
                "OPENAI_CHAT",
                new TrialResult.LoadInfo("open", "POISSON", 10.0, 0, null, null, null, null, null),
                new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 128", "cl100k_base"),
                1,
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 5, 30, 1),
                new TrialResult.Counts(requests, requests, 0, 0, Map.of(), 0),
                new TrialResult.Tokens(0, 0, 0, "usage"),
                new TrialResult.Throughput(requests / 30.0, 0, 0, null),
                0.0,
                Map.of(Metric.TTFT.key(), MetricResult.of(Metric.TTFT, ttft)),
                List.of(),
                List.of(),
                List.of());
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(trial),
                false);
    }
}
