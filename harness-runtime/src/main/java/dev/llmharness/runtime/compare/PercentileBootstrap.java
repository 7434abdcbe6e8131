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
 * one Beta draw and one lookup in the cumulative counts, computed once.
 *
 * <p>Across runs (several files on a side): each replicate first resamples the runs with
 * replacement, pools the chosen runs' distributions (each weighted by its effective sample size),
 * then draws the percentile as above from the pool: a two-level bootstrap that carries both the
 * run-to-run and the within-run variation.
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

    /** One bootstrap replicate of the percentile, in the histogram's unit. */
    long replicate(RandomDraws draws) {
        int runs = effectiveCounts.length;
        if (runs == 1) {
            long n = effectiveCounts[0];
            double u = betaOfOrderStatistic(draws, n);
            return grid[firstAtLeast(cumulativeFractions[0], u)];
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
