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
 * <p>Rates and error rates ({@link #ofRunValues}, {@link #ofRunDifferences}): each run's own
 * value is one observation, by the same rule, floored by one event's share ({@link #countFloor}):
 * runs that replay one workload complete the same requests and agree exactly.
 *
 * <p>Whether a gated statistic can be decided at all ({@link #decidable}) is judged from the
 * interval the base predicts for a comparison with a contender like it.
 *
 * <p>The rank floor replaced one run's request-level bootstrap variance divided by k (2026-12-07):
 * that floor models drawing fresh requests, which replaying runs do not do, and on the resized
 * default selection it alone left 4 to 5 gated metrics of an A/A comparison undecided whose runs
 * agreed within 0.3 to 1.3 % (docs/compare.md).
 */
final class RunLevelInterval {
    /**
     * The share of comparisons of the base with a contender like it that a gated statistic must
     * decide to count as decidable ({@link #decidable}): 80 %.
     */
    static final double DECIDED_SHARE = 0.8;

    private RunLevelInterval() {}

    /**
     * The variance of a side's mean log statistic: {@code max(s² / k, floors...)}. For a
     * percentile the floors are the rank floor and the histogram's resolution; for a rate or an
     * error rate, one event's share ({@link #countFloor}). The floors are not divided by k: runs
     * that replay one workload move together.
     *
     * @param runLogs the log of each run's own statistic (a rate's log; an error rate itself), at
     *     least 2 runs (k)
     * @param floors variances below which the side's variance does not go, each >= 0 (a
     *     percentile's: the mean over the runs of its rank floor ({@link
     *     PercentileBootstrap#rankLogVarianceOfRun}), and the variance of the histogram's
     *     quantisation error on the log scale)
     */
    static double sideVariance(double[] runLogs, double... floors) {
        int k = runLogs.length;
        double v = variance(runLogs) / k;
        for (double f : floors) {
            v = Math.max(v, f);
        }
        return v;
    }

    /**
     * The resolution floor of a statistic that counts events (completions for a rate, failures
     * for an error rate): one event more or less moves a run's value by one event's share, 1 / n
     * of a run of n events (relative for a rate, so on the log scale; absolute for an error rate),
     * and a value known only to within one such step, uniformly, has variance (1 / n)² / 12, as
     * the histogram's resolution floor of a percentile. Runs that replay one workload complete the
     * same number of requests, so their rates agree exactly and would give an interval of zero
     * width: this floor keeps a shift of a few completions from being a certain change. The mean
     * over the runs, not divided by their number.
     *
     * @param eventsPerRun each run's events (its completions in the window, or the requests that
     *     ended for an error rate); a run with none counts as one
     */
    static double countFloor(long[] eventsPerRun) {
        if (eventsPerRun.length == 0) {
            return 0;
        }
        double sum = 0;
        for (long n : eventsPerRun) {
            double share = 1.0 / Math.max(1, n);
            sum += share * share / 12;
        }
        return sum / eventsPerRun.length;
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
        return welch(logRatio, baseVariance, baseRuns - 1, contenderVariance, contenderRuns - 1, confidence);
    }

    /**
     * The interval of a log ratio from each side's variance of its mean log statistic and the
     * degrees of freedom of each variance's estimate (Welch-Satterthwaite): for a side whose
     * variance comes from m batches of seconds of one run ({@link ThroughputBatches}), m - 1.
     *
     * @return {low, high} of the ratio (not of its log)
     */
    static double[] ofVariances(
            double logRatio,
            double baseVariance,
            double baseDf,
            double contenderVariance,
            double contenderDf,
            double confidence) {
        return welch(logRatio, baseVariance, baseDf, contenderVariance, contenderDf, confidence);
    }

    /**
     * The quantile that a prediction of the interval from the base alone uses: Student's t with
     * {@code 2 (k - 1)} degrees of freedom for two sides of k runs each, the normal one when the
     * comparison resamples requests (a side of one run).
     *
     * @param baseRuns runs on the base side, >= 1
     * @param runLevel whether the comparison is run-level (both sides have several runs)
     * @param confidence two-sided level in (0.5, 1)
     */
    static double predictionQuantile(int baseRuns, boolean runLevel, double confidence) {
        double p = 1 - (1 - confidence) / 2;
        return runLevel && baseRuns >= 2
                ? studentQuantile(p, 2.0 * (baseRuns - 1))
                : ProportionInterval.inverseNormal(p);
    }

    /**
     * The half-width, on the log scale, that a comparison of the base with a contender like it
     * would have: {@code quantile * sqrt(2 * baseVariance)} ({@link #predictionQuantile}), the
     * interval of two sides with the base's variance each. It uses the base alone, so that what it
     * decides (which percentile to gate) cannot depend on the change under test.
     *
     * @param baseVariance the base's variance of its mean log statistic ({@link #sideVariance})
     * @param quantile {@link #predictionQuantile}
     */
    static double predictedHalfWidth(double baseVariance, double quantile) {
        return quantile * Math.sqrt(2 * baseVariance);
    }

    /**
     * Whether a gated statistic can be decided: whether a comparison of the base with a contender
     * like it, whose interval has the predicted half-width h (log scale, {@link
     * #predictedHalfWidth}), decides it in at least {@link #DECIDED_SHARE} of cases. Such a
     * comparison decides (NO CHANGE) when its whole interval lies within the threshold, |x| + h <=
     * ln(1 + t), where its point estimate x on the log scale is normal around 0 with standard
     * deviation h / quantile; so it is decidable when h (1 + z / quantile) <= ln(1 + t), z the
     * normal quantile of (1 + share) / 2 (1.28). An interval merely narrower than the threshold
     * (h < ln(1 + t)) decides almost never: its point estimate must then fall near 0 by chance.
     *
     * @param halfWidth the predicted half-width on the log scale, >= 0
     * @param quantile the quantile it was predicted with ({@link #predictionQuantile}), > 0
     * @param threshold the metric's threshold, a fraction (0.1 for 10 %)
     */
    static boolean decidable(double halfWidth, double quantile, double threshold) {
        return halfWidth <= widestDecidable(quantile, threshold);
    }

    /** The widest predicted half-width (log scale) that is {@link #decidable}. */
    static double widestDecidable(double quantile, double threshold) {
        double z = ProportionInterval.inverseNormal((1 + DECIDED_SHARE) / 2);
        return Math.log1p(threshold) / (1 + z / quantile);
    }

    /**
     * The interval of a log ratio from one log value per run (e.g. each run's throughput): Welch's
     * t interval on each side's {@link #sideVariance} of the run values, floored.
     *
     * @param baseLogs one value per base run, at least 2
     * @param baseFloor the base's floor ({@link #countFloor}), >= 0
     * @param contenderLogs one value per contender run, at least 2
     * @param contenderFloor the contender's floor, >= 0
     * @return {low, high} of the ratio
     */
    static double[] ofRunValues(
            double logRatio,
            double[] baseLogs,
            double baseFloor,
            double[] contenderLogs,
            double contenderFloor,
            double confidence) {
        return ofLogRatio(
                logRatio,
                sideVariance(baseLogs, baseFloor),
                baseLogs.length,
                sideVariance(contenderLogs, contenderFloor),
                contenderLogs.length,
                confidence);
    }

    /**
     * The interval of a difference of proportions from one proportion per run (e.g. each run's
     * error rate): Welch's t interval on each side's {@link #sideVariance} of the run values,
     * floored, centred on {@code difference}.
     *
     * @param baseRates one value per base run, at least 2
     * @param baseFloor the base's floor ({@link #countFloor} of its ended requests), >= 0
     * @param contenderRates one value per contender run, at least 2
     * @param contenderFloor the contender's floor, >= 0
     * @return {low, high} of the difference
     */
    static double[] ofRunDifferences(
            double difference,
            double[] baseRates,
            double baseFloor,
            double[] contenderRates,
            double contenderFloor,
            double confidence) {
        double half = halfWidth(
                sideVariance(baseRates, baseFloor),
                baseRates.length - 1,
                sideVariance(contenderRates, contenderFloor),
                contenderRates.length - 1,
                confidence);
        return new double[] {difference - half, difference + half};
    }

    /** Welch: vb, vc are the variances of each side's estimate, dfb, dfc their degrees of freedom. */
    private static double halfWidth(double vb, double dfb, double vc, double dfc, double confidence) {
        double denominator = (dfb > 0 ? vb * vb / dfb : 0) + (dfc > 0 ? vc * vc / dfc : 0);
        double df = denominator == 0 ? dfb + dfc : (vb + vc) * (vb + vc) / denominator;
        return studentQuantile(1 - (1 - confidence) / 2, df) * Math.sqrt(vb + vc);
    }

    private static double[] welch(double logRatio, double vb, double dfb, double vc, double dfc, double confidence) {
        double half = halfWidth(vb, dfb, vc, dfc, confidence);
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
