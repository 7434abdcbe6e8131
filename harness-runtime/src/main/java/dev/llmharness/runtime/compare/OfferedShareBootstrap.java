package dev.llmharness.runtime.compare;

import java.util.List;

/**
 * Bootstrap replicates of the share of its offer one side completed (completions, or output
 * tokens, per intended start) for a trial whose offered rate varies by design: a moving-block
 * bootstrap over each run's per-second pairs (events, starts), each block taking its seconds'
 * starts with their events, so that a block from a step's high level brings its high offer along
 * and the shape's designed swings cancel out of the noise. Block length and the resampling of runs
 * as {@link ThroughputBootstrap}, which a constant rate keeps.
 */
final class OfferedShareBootstrap {
    private final List<long[][]> runs;
    private final double share;

    /**
     * @param runs each run's {@code {events, started}} per second of its window, equal lengths, some
     *     start in all
     */
    OfferedShareBootstrap(List<long[][]> runs) {
        this.runs = List.copyOf(runs);
        double events = 0;
        double started = 0;
        for (long[][] r : runs) {
            for (int s = 0; s < r[0].length; s++) {
                events += r[0][s];
                started += r[1][s];
            }
        }
        this.share = started == 0 ? 0 : events / started;
    }

    /** Events per offered start over all runs, {@code >= 0}. */
    double share() {
        return share;
    }

    /** One replicate of the share over resampled blocks; NaN when the blocks drawn offered nothing. */
    double replicate(RandomDraws draws) {
        double events = 0;
        double started = 0;
        int k = runs.size();
        for (int i = 0; i < k; i++) {
            long[][] run = k == 1 ? runs.get(0) : runs.get(draws.nextInt(k));
            int n = run[0].length;
            int block = Math.max(1, (int) Math.round(StrictMath.cbrt(n)));
            int filled = 0;
            while (filled < n) {
                int start = draws.nextInt(n - block + 1);
                for (int j = 0; j < block && filled < n; j++, filled++) {
                    events += run[0][start + j];
                    started += run[1][start + j];
                }
            }
        }
        return started == 0 ? Double.NaN : events / started;
    }
}
