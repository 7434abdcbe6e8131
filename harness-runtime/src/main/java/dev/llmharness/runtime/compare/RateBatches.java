package dev.llmharness.runtime.compare;

import java.util.List;

/**
 * One side's rate and its noise when a side has one run: batch means over the run's per-second
 * timeline. The rate is events per unit of offer, {@code R = ΣE / ΣO}: per second for a throughput
 * (the offer of every second is 1), per intended start or per microsecond of the workers' time
 * for a load that varies by design (see {@code Comparison}), so that a batch from a step's high
 * level brings its high offer along and the designed swings cancel out of the noise. The timeline
 * is cut into m batches of about b = ∛(seconds) consecutive seconds (batches keep the short-range
 * dependence of neighbouring seconds, a slow second often followed by another); with E_j and O_j
 * a batch's events and offer, the variance of R is the ratio estimator's, {@code m / (m - 1) · Σ
 * (E_j - R O_j)² / (ΣO)²} (for a throughput: the batches' rates' sample variance over m), on the
 * log scale divided by R², with m - 1 degrees of freedom for a Student t interval ({@link
 * RunLevelInterval#ofVariances}).
 *
 * <p>Why not the moving-block bootstrap this replaced (2026-12-07): with the few blocks a short
 * window holds (ten for 30 s), its percentile interval took the blocks' variance as known (a
 * normal quantile), and that variance was itself biased low by about b / n (the blocks' mean is
 * estimated from the same blocks): on synthetic runs whose seconds are independent, so that no
 * block length could be wrong, it covered the true ratio in 91-92 % of 1,000 comparisons for a
 * nominal 95 %. Batch means with the t quantile of their m - 1 degrees of freedom are exact for
 * normal batches.
 *
 * <p>A side of several runs (against a side of one) pools the batches of its runs, and its
 * variance is the larger of that and the run-level one (the spread of its runs' own rates over
 * k, k - 1 degrees of freedom), so that run-to-run variation is not lost. Either way at least the
 * count floor ({@link RunLevelInterval#countFloor}): a timeline of identical seconds gives a
 * narrow interval, never one of zero width.
 */
final class RateBatches {
    private final double rate;
    private final int shortestSeconds;
    private final double logVariance;
    private final double degreesOfFreedom;

    /**
     * @param events each run's events (completions, or output tokens) per second of its window
     * @param offered each run's offer per second, the same lengths, or {@code null} for one a
     *     second (a rate per second)
     * @param completionsPerRun each run's completions in its window, for the count floor
     */
    RateBatches(List<long[]> events, List<long[]> offered, long[] completionsPerRun) {
        int k = events.size();
        double totalEvents = 0;
        double totalOffer = 0;
        int shortest = Integer.MAX_VALUE;
        double[][] batchEvents = new double[k][];
        double[][] batchOffer = new double[k][];
        double[] runRates = new double[k];
        int batches = 0;
        for (int r = 0; r < k; r++) {
            long[] e = events.get(r);
            long[] o = offered == null ? null : offered.get(r);
            int n = e.length;
            shortest = Math.min(shortest, n);
            int m = n < 2 ? 0 : Math.max(2, n / Math.max(1, (int) Math.round(StrictMath.cbrt(n))));
            batchEvents[r] = new double[m];
            batchOffer[r] = new double[m];
            double runEvents = 0;
            double runOffer = 0;
            for (int j = 0; j < m; j++) {
                // Boundaries at j n / m: the seconds left over are spread evenly, every second counts.
                int from = (int) ((long) j * n / m);
                int to = (int) ((long) (j + 1) * n / m);
                for (int i = from; i < to; i++) {
                    batchEvents[r][j] += e[i];
                    batchOffer[r][j] += o == null ? 1 : o[i];
                }
                runEvents += batchEvents[r][j];
                runOffer += batchOffer[r][j];
            }
            batches += m;
            totalEvents += runEvents;
            totalOffer += runOffer;
            runRates[r] = runOffer == 0 ? 0 : runEvents / runOffer;
        }
        this.rate = totalOffer == 0 ? 0 : totalEvents / totalOffer;
        this.shortestSeconds = k == 0 ? 0 : shortest;
        double variance = 0;
        double df = 0;
        if (rate > 0 && batches >= 2) {
            double squares = 0;
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < batchEvents[r].length; j++) {
                    double d = batchEvents[r][j] - rate * batchOffer[r][j];
                    squares += d * d;
                }
            }
            variance = (double) batches / (batches - 1) * squares / (totalOffer * totalOffer) / (rate * rate);
            df = batches - 1;
            if (k >= 2) {
                double runLevel = RunLevelInterval.variance(runRates) / k / (rate * rate);
                if (runLevel > variance) {
                    variance = runLevel;
                    df = k - 1;
                }
            }
        }
        this.logVariance = Math.max(variance, RunLevelInterval.countFloor(completionsPerRun));
        this.degreesOfFreedom = df;
    }

    /** Events per unit of offer over all runs ({@code ΣE / ΣO}), {@code >= 0}: per second for a throughput. */
    double rate() {
        return rate;
    }

    /** Shortest timeline, in seconds. */
    int shortestSeconds() {
        return shortestSeconds;
    }

    /** The variance of the log of {@link #rate}, at least the count floor. */
    double logVariance() {
        return logVariance;
    }

    /** The degrees of freedom of {@link #logVariance}'s estimate: batches - 1, or runs - 1. */
    double degreesOfFreedom() {
        return degreesOfFreedom;
    }
}
