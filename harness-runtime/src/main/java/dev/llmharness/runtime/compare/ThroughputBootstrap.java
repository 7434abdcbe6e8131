package dev.llmharness.runtime.compare;

import java.util.List;

/**
 * Bootstrap replicates of a rate (per second) of one side, by a moving-block bootstrap over each
 * run's per-second timeline. Blocks keep the short-range dependence between neighbouring seconds
 * (a slow second is often followed by another) that resampling single seconds would destroy.
 * Block length: the cube root of the run's length in seconds, at least 1. With several runs on a
 * side, each replicate also resamples the runs with replacement.
 */
final class ThroughputBootstrap {
    private final List<long[]> runs;
    private final double pointRate;

    /** @param runs per-second counts of each run over its whole window (seconds without events are 0) */
    ThroughputBootstrap(List<long[]> runs) {
        this.runs = List.copyOf(runs);
        double sum = 0;
        long seconds = 0;
        for (long[] r : runs) {
            for (long v : r) {
                sum += v;
            }
            seconds += r.length;
        }
        this.pointRate = seconds == 0 ? 0 : sum / seconds;
    }

    /** The rate over all timelines: total / seconds. */
    double pointRate() {
        return pointRate;
    }

    /** Shortest timeline, in seconds. */
    int shortestSeconds() {
        return runs.stream().mapToInt(r -> r.length).min().orElse(0);
    }

    /** One replicate of the rate over the resampled timelines. */
    double replicate(RandomDraws draws) {
        double sum = 0;
        long seconds = 0;
        int k = runs.size();
        for (int i = 0; i < k; i++) {
            long[] run = k == 1 ? runs.get(0) : runs.get(draws.nextInt(k));
            sum += resampledSum(run, draws);
            seconds += run.length;
        }
        return seconds == 0 ? 0 : sum / seconds;
    }

    private static double resampledSum(long[] run, RandomDraws draws) {
        int n = run.length;
        int block = Math.max(1, (int) Math.round(StrictMath.cbrt(n)));
        double sum = 0;
        int filled = 0;
        while (filled < n) {
            int start = draws.nextInt(n - block + 1);
            for (int j = 0; j < block && filled < n; j++, filled++) {
                sum += run[start + j];
            }
        }
        return sum;
    }
}
