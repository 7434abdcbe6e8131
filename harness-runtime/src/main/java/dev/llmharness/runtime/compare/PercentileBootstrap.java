package dev.llmharness.runtime.compare;

import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Bootstrap replicates of one percentile of one side (one or more runs), without materialising
 * any resample.
 *
 * <p>Within a run: the p-quantile of a resample of n values drawn with replacement from the
 * empirical distribution F is the k-th order statistic of the resample, k = ceil(n p), which is
 * F⁻¹(U) with U ~ Beta(k, n + 1 - k) (the k-th of n uniform order statistics). So one replicate is
 * one Beta draw and one lookup in the cumulative counts, computed once. {@link #replicateOfRun}
 * draws from one run alone; {@link #logVarianceOfRun} gives the variance of one run's log
 * percentile. {@link #rankLogVarianceOfRun} is the rank floor of the run-level interval ({@link
 * RunLevelInterval}): how far the percentile moves when one request changes rank.
 *
 * <p>Pooled over runs ({@link #replicate}, used only when the other side has a single run, so that
 * the interval is the bootstrap's own): each replicate first resamples the runs with replacement,
 * pools the chosen runs' distributions (each weighted by its effective sample size), then draws the
 * percentile as above from the pool. When both sides have several runs the comparison uses the
 * runs' own percentiles instead ({@link RunLevelInterval}).
 *
 * <p>The effective sample size of a run is the number of independent units behind its histogram:
 * the histogram's count for per-request metrics; for ITL, whose histogram holds many correlated
 * gaps per request, the number of requests.
 */
final class PercentileBootstrap {
    private final long[] grid;
    private final double[][] cumulativeFractions;
    private final long[] effectiveCounts;
    private final double fraction;

    /**
     * @param runs one histogram per run, all with the same settings, none empty
     * @param effectiveCounts the effective sample size of each run, >= 1
     * @param percentile in (0, 100)
     */
    PercentileBootstrap(List<Histogram> runs, long[] effectiveCounts, double percentile) {
        if (runs.isEmpty() || runs.size() != effectiveCounts.length) {
            throw new IllegalArgumentException("one effective count per run, at least one run");
        }
        this.fraction = percentile / 100.0;
        this.effectiveCounts = effectiveCounts.clone();
        TreeMap<Long, Integer> index = new TreeMap<>();
        for (Histogram h : runs) {
            for (HistogramIterationValue v : h.recordedValues()) {
                index.put(v.getValueIteratedTo(), 0);
            }
        }
        grid = new long[index.size()];
        int i = 0;
        for (Long value : index.keySet()) {
            index.put(value, i);
            grid[i++] = value;
        }
        cumulativeFractions = new double[runs.size()][grid.length];
        for (int r = 0; r < runs.size(); r++) {
            Histogram h = runs.get(r);
            double total = h.getTotalCount();
            double[] cumulative = cumulativeFractions[r];
            for (HistogramIterationValue v : h.recordedValues()) {
                cumulative[index.get(v.getValueIteratedTo())] = v.getCountAtValueIteratedTo();
            }
            double running = 0;
            for (int j = 0; j < grid.length; j++) {
                running += cumulative[j];
                cumulative[j] = running / total;
            }
            cumulative[grid.length - 1] = 1.0;
        }
    }

    /** Number of runs on the side. */
    int runs() {
        return effectiveCounts.length;
    }

    /** Pooled effective sample size of the side (all runs once). */
    long effectiveCount() {
        long n = 0;
        for (long c : effectiveCounts) {
            n += c;
        }
        return n;
    }

    /**
     * One bootstrap replicate of the percentile of the whole side, in the histogram's unit: of the
     * run for one run, else of the pooled runs, resampled as runs and then as requests.
     */
    long replicate(RandomDraws draws) {
        int runs = effectiveCounts.length;
        if (runs == 1) {
            return replicateOfRun(0, draws);
        }
        int[] multiplicity = new int[runs];
        long n = 0;
        for (int i = 0; i < runs; i++) {
            int chosen = draws.nextInt(runs);
            multiplicity[chosen]++;
            n += effectiveCounts[chosen];
        }
        double u = betaOfOrderStatistic(draws, n);
        return grid[firstPooledAtLeast(multiplicity, n, u)];
    }

    /** One request-level replicate of the percentile of run {@code run} alone, in the histogram's unit. */
    long replicateOfRun(int run, RandomDraws draws) {
        double u = betaOfOrderStatistic(draws, effectiveCounts[run]);
        return grid[firstAtLeast(cumulativeFractions[run], u)];
    }

    /**
     * The request-level variance of the log percentile of one run: the sample variance of {@code
     * ln(max(1, x))} over {@code replicates} draws of {@link #replicateOfRun}, x in the histogram's
     * unit (values below one unit count as one, so that the log is defined).
     *
     * @param run index of the run, in [0, {@link #runs()})
     * @param replicates at least 2
     */
    double logVarianceOfRun(int run, RandomDraws draws, int replicates) {
        double[] logs = new double[replicates];
        for (int i = 0; i < replicates; i++) {
            logs[i] = Math.log(Math.max(1, replicateOfRun(run, draws)));
        }
        return RunLevelInterval.variance(logs);
    }

    /**
     * The rank floor of one run's log percentile: the square of half the log distance between the
     * requests ranked one below and one above the percentile's own rank k = ceil(n p), n the run's
     * effective count ({@code ((ln x(k+1) - ln x(k-1)) / 2)²}, values below one unit counted as
     * one). Where requests are dense around the percentile it is tiny; where the percentile sits on
     * a gap between two groups of requests (a batch boundary) it is the gap, which a slightly
     * slower or faster server crosses by moving one request. For ITL, whose histogram holds many
     * gaps per request, a rank is one request's share of the histogram.
     *
     * @param run index of the run, in [0, {@link #runs()})
     */
    double rankLogVarianceOfRun(int run) {
        long n = effectiveCounts[run];
        long k = Math.min(n, Math.max(1, (long) Math.ceil(n * fraction)));
        double below = Math.log(Math.max(1, orderStatistic(run, Math.max(1, k - 1))));
        double above = Math.log(Math.max(1, orderStatistic(run, Math.min(n, k + 1))));
        double half = (above - below) / 2;
        return half * half;
    }

    /** The j-th smallest of run {@code run}'s n effective values (1 <= j <= n), in the histogram's unit. */
    private long orderStatistic(int run, long j) {
        // The middle of the j-th value's share of the cumulative fraction: never on a step's edge.
        return grid[firstAtLeast(cumulativeFractions[run], (j - 0.5) / effectiveCounts[run])];
    }

    private double betaOfOrderStatistic(RandomDraws draws, long n) {
        long k = Math.max(1, (long) Math.ceil(n * fraction));
        k = Math.min(k, n);
        return draws.nextBeta(k, n + 1 - k);
    }

    private static int firstAtLeast(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private int firstPooledAtLeast(int[] multiplicity, long n, double u) {
        int lo = 0;
        int hi = grid.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double pooled = 0;
            for (int r = 0; r < multiplicity.length; r++) {
                if (multiplicity[r] > 0) {
                    pooled += (double) multiplicity[r] * effectiveCounts[r] * cumulativeFractions[r][mid];
                }
            }
            if (pooled / n >= u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
