package dev.llmharness.runtime.compare;

/**
 * The interval of a log ratio when both sides have several runs: a hierarchical bootstrap (runs,
 * then requests within the chosen runs) gives each side's standard error; the interval is Student's
 * t with Welch-Satterthwaite degrees of freedom from the run counts.
 *
 * <p>Why not the bootstrap's own percentiles: with k runs, resampling runs with replacement
 * underestimates the between-run variance by a factor (k - 1) / k and its distribution has only a
 * handful of distinct values, so a percentile interval from 3 runs covers far less than its nominal
 * level. Inflating each side's variance by k / (k - 1) and using a t quantile with about k - 1
 * degrees of freedom per side restores the coverage; {@code ComparisonCalibrationTest} checks it on
 * synthetic runs with known run-to-run and request-level variation.
 */
final class RunLevelInterval {
    private RunLevelInterval() {}

    /**
     * @param logRatio point estimate of log(contender / base)
     * @param baseLogs bootstrap replicates of the log statistic of the base side
     * @param baseRuns runs on the base side, >= 2
     * @param contenderLogs bootstrap replicates of the log statistic of the contender side
     * @param contenderRuns runs on the contender side, >= 2
     * @param confidence two-sided level in (0.5, 1)
     * @return {low, high} of the ratio (not of its log)
     */
    static double[] ofLogRatio(
            double logRatio,
            double[] baseLogs,
            int baseRuns,
            double[] contenderLogs,
            int contenderRuns,
            double confidence) {
        return welch(
                logRatio,
                variance(baseLogs) * baseRuns / (baseRuns - 1),
                baseRuns,
                variance(contenderLogs) * contenderRuns / (contenderRuns - 1),
                contenderRuns,
                confidence);
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
