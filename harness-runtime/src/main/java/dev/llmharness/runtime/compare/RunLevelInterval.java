package dev.llmharness.runtime.compare;

/**
 * Intervals when both sides have several runs: Student's t with Welch-Satterthwaite degrees of
 * freedom from the run counts, on each side's variance of its mean log statistic.
 *
 * <p>Percentiles ({@link #sideVariance}): the variance of a side's mean log percentile is the
 * largest of three estimates. The spread of the runs' own percentiles, s² / k, is the run-to-run
 * variation itself: every run of a side replays the same seeded workload (the same prompts at the
 * same instants), so adding the request-to-request variation on top of it, as a bootstrap that
 * resamples runs and then requests does, counts the workload's own spread as noise that the runs
 * do not have. Two floors keep three runs that happen to agree from claiming more than the data
 * holds: the rank floor (a percentile that sits on a gap between two groups of requests, a batch
 * boundary, moves by the gap when one request changes rank, which runs that replay one workload
 * all do together, so it is not divided by k; {@link PercentileBootstrap#rankLogVarianceOfRun}),
 * and the histogram's resolution (identical runs never give an interval of zero width). {@code
 * ComparisonCalibrationTest} checks coverage on synthetic runs that replay one workload, that draw
 * fresh requests, and that shift by a known ratio.
 *
 * <p>The rank floor replaced one run's request-level bootstrap variance divided by k (2026-12-07):
 * that floor models drawing fresh requests, which replaying runs do not do, and on the resized
 * default selection it alone left 4 to 5 gated metrics of an A/A comparison undecided whose runs
 * agreed within 0.3 to 1.3 % (docs/compare.md).
 */
final class RunLevelInterval {
    private RunLevelInterval() {}

    /**
     * The variance of a side's mean log percentile: {@code max(s² / k, rank, resolution)}.
     *
     * @param runLogs the log of each run's own percentile, at least 2 runs (k)
     * @param rankVariance the mean over the runs of the rank floor of the run's log percentile
     *     ({@link PercentileBootstrap#rankLogVarianceOfRun}), >= 0
     * @param resolutionVariance the variance of the histogram's quantisation error on the log scale,
     *     >= 0
     */
    static double sideVariance(double[] runLogs, double rankVariance, double resolutionVariance) {
        int k = runLogs.length;
        return Math.max(Math.max(variance(runLogs) / k, rankVariance), resolutionVariance);
    }

    /**
     * The interval of a log ratio from each side's variance of its mean log statistic.
     *
     * @param logRatio point estimate of log(contender / base)
     * @param baseVariance variance of the base's mean log statistic ({@link #sideVariance}), >= 0
     * @param baseRuns runs on the base side, >= 2
     * @param contenderVariance variance of the contender's mean log statistic, >= 0
     * @param contenderRuns runs on the contender side, >= 2
     * @param confidence two-sided level in (0.5, 1)
     * @return {low, high} of the ratio (not of its log)
     */
    static double[] ofLogRatio(
            double logRatio,
            double baseVariance,
            int baseRuns,
            double contenderVariance,
            int contenderRuns,
            double confidence) {
        return welch(logRatio, baseVariance, baseRuns, contenderVariance, contenderRuns, confidence);
    }

    /**
     * The half-width, on the log scale, that a comparison of the base with a contender like it
     * would have: {@code t(2 (k - 1)) * sqrt(2 * baseVariance)}, the Welch interval of two sides of k
     * runs and the base's variance each. It uses the base alone, so that what it decides (which
     * percentile to gate) cannot depend on the change under test.
     *
     * @param baseVariance the base's variance of its mean log statistic ({@link #sideVariance})
     * @param baseRuns runs on the base side, >= 2
     * @param confidence two-sided level in (0.5, 1)
     */
    static double predictedHalfWidth(double baseVariance, int baseRuns, double confidence) {
        return studentQuantile(1 - (1 - confidence) / 2, 2.0 * (baseRuns - 1)) * Math.sqrt(2 * baseVariance);
    }

    /**
     * The interval of a log ratio from one log value per run (e.g. each run's throughput): Welch's
     * t interval on the two sets of run values.
     *
     * @param baseLogs one value per base run, at least 2
     * @param contenderLogs one value per contender run, at least 2
     * @return {low, high} of the ratio
     */
    static double[] ofRunValues(double logRatio, double[] baseLogs, double[] contenderLogs, double confidence) {
        return welch(
                logRatio,
                variance(baseLogs) / baseLogs.length,
                baseLogs.length,
                variance(contenderLogs) / contenderLogs.length,
                contenderLogs.length,
                confidence);
    }

    /**
     * The interval of a difference of proportions from one proportion per run (e.g. each run's
     * error rate): Welch's t interval on the two sets of run values, centred on {@code difference}.
     *
     * @param baseRates one value per base run, at least 2
     * @param contenderRates one value per contender run, at least 2
     * @return {low, high} of the difference
     */
    static double[] ofRunDifferences(
            double difference, double[] baseRates, double[] contenderRates, double confidence) {
        double half = halfWidth(
                variance(baseRates) / baseRates.length,
                baseRates.length,
                variance(contenderRates) / contenderRates.length,
                contenderRates.length,
                confidence);
        return new double[] {difference - half, difference + half};
    }

    /** Welch: vb, vc are the variances of each side's estimate, kb, kc its runs. */
    private static double halfWidth(double vb, int baseRuns, double vc, int contenderRuns, double confidence) {
        double denominator = vb * vb / (baseRuns - 1) + vc * vc / (contenderRuns - 1);
        double df = denominator == 0 ? baseRuns + contenderRuns - 2 : (vb + vc) * (vb + vc) / denominator;
        return studentQuantile(1 - (1 - confidence) / 2, df) * Math.sqrt(vb + vc);
    }

    /** Welch: vb, vc are the variances of each side's estimate, kb, kc its runs. */
    private static double[] welch(
            double logRatio, double vb, int baseRuns, double vc, int contenderRuns, double confidence) {
        double half = halfWidth(vb, baseRuns, vc, contenderRuns, confidence);
        return new double[] {Math.exp(logRatio - half), Math.exp(logRatio + half)};
    }

    static double variance(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return values.length < 2 ? 0 : sum / (values.length - 1);
    }

    /**
     * Student's t quantile: exact for 1 and 2 degrees of freedom (fractional ones round down, the
     * wider choice), else the Cornish-Fisher expansion around the normal quantile (within 1 % from
     * 3 degrees of freedom).
     */
    static double studentQuantile(double p, double df) {
        if (df < 2) {
            return StrictMath.tan(StrictMath.PI * (p - 0.5));
        }
        if (df < 3) {
            return (2 * p - 1) / StrictMath.sqrt(2 * p * (1 - p));
        }
        double z = ProportionInterval.inverseNormal(p);
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        double z9 = z7 * z * z;
        return z
                + (z3 + z) / (4 * df)
                + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df)
                + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df * df * df * df);
    }
}
