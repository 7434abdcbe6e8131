package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.runtime.metrics.Histograms;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentileBootstrapTest {
    private static final int N = 500;
    private static final int REPLICATES = 20_000;

    /** 500 lognormal latencies; each lands in its own bucket often enough to make ranks meaningful. */
    private static Histogram sample(long seed) {
        Random random = new Random(seed);
        Histogram h = Histograms.newLatency();
        for (int i = 0; i < N; i++) {
            h.recordValue(Math.round(200e6 * StrictMath.exp(0.5 * random.nextGaussian())));
        }
        return h;
    }

    /** The recorded values expanded to a sorted array, as a brute-force resampler sees them. */
    private static long[] expand(Histogram h) {
        long[] values = new long[(int) h.getTotalCount()];
        int i = 0;
        for (var v : h.recordedValues()) {
            for (long c = 0; c < v.getCountAtValueIteratedTo(); c++) {
                values[i++] = v.getValueIteratedTo();
            }
        }
        return values;
    }

    @Test
    void oneBetaDrawPerReplicateMatchesBruteForceResamplingAtP50AndP99() {
        Histogram h = sample(11);
        long[] sorted = expand(h);
        for (double percentile : new double[] {50, 99}) {
            PercentileBootstrap bootstrap = new PercentileBootstrap(List.of(h), new long[] {N}, percentile);
            RandomDraws draws = new RandomDraws(5);
            double[] beta = new double[REPLICATES];
            for (int i = 0; i < REPLICATES; i++) {
                beta[i] = bootstrap.replicate(draws);
            }

            SplittableRandom random = new SplittableRandom(6);
            int k = (int) Math.ceil(N * percentile / 100);
            double[] brute = new double[REPLICATES];
            long[] resample = new long[N];
            for (int i = 0; i < REPLICATES; i++) {
                for (int j = 0; j < N; j++) {
                    resample[j] = sorted[random.nextInt(N)];
                }
                Arrays.sort(resample);
                brute[i] = resample[k - 1];
            }

            // Compare the two replicate distributions as ranks in the original sample: the spread of
            // a p99 replicate is about 2.4 ranks, of a p50 one about 11; quantiles of 20 000 draws are
            // good to a fraction of a rank, so one rank (two at p50) is a generous, principled margin.
            double rankTolerance = percentile == 99 ? 1 : 2;
            Arrays.sort(beta);
            Arrays.sort(brute);
            for (double q : new double[] {0.025, 0.25, 0.5, 0.75, 0.975}) {
                double betaRank = rankOf(sorted, Comparison.quantile(beta, q));
                double bruteRank = rankOf(sorted, Comparison.quantile(brute, q));
                assertThat(betaRank)
                        .as("p%s replicate quantile %s", percentile, q)
                        .isCloseTo(bruteRank, within(rankTolerance));
            }
            double betaMean =
                    Arrays.stream(beta).map(v -> rankOf(sorted, v)).average().orElseThrow();
            double bruteMean =
                    Arrays.stream(brute).map(v -> rankOf(sorted, v)).average().orElseThrow();
            assertThat(betaMean).as("p%s mean rank", percentile).isCloseTo(bruteMean, within(0.5));
        }
    }

    private static double rankOf(long[] sorted, double value) {
        int i = Arrays.binarySearch(sorted, (long) value);
        while (i > 0 && sorted[i - 1] == (long) value) {
            i--;
        }
        return i;
    }

    @Test
    void replicatesAreRecordedValuesAndCentreOnThePercentile() {
        Histogram h = sample(12);
        PercentileBootstrap bootstrap = new PercentileBootstrap(List.of(h), new long[] {N}, 90);
        RandomDraws draws = new RandomDraws(1);
        long[] recorded = expand(h);
        double[] replicates = new double[4001];
        for (int i = 0; i < replicates.length; i++) {
            long r = bootstrap.replicate(draws);
            assertThat(Arrays.binarySearch(recorded, r)).isGreaterThanOrEqualTo(0);
            replicates[i] = r;
        }
        Arrays.sort(replicates);
        double median = replicates[2000];
        assertThat(rankOf(recorded, median)).isCloseTo(rankOf(recorded, h.getValueAtPercentile(90)), within(3.0));
    }

    @Test
    void aSmallerEffectiveSampleSizeWidensTheReplicates() {
        Histogram h = sample(13);
        double wide = spread(new PercentileBootstrap(List.of(h), new long[] {50}, 50));
        double narrow = spread(new PercentileBootstrap(List.of(h), new long[] {N}, 50));
        // The spread of a quantile falls as 1/sqrt(n): 10 times fewer units, about 3.2 times wider.
        assertThat(wide / narrow).isBetween(2.0, 5.0);
    }

    @Test
    void replicateRunsAddTheRunToRunSpread() {
        Histogram low = Histograms.newLatency();
        Histogram high = Histograms.newLatency();
        Random random = new Random(14);
        for (int i = 0; i < 5000; i++) {
            low.recordValue(Math.round(100e6 * StrictMath.exp(0.1 * random.nextGaussian())));
            high.recordValue(Math.round(130e6 * StrictMath.exp(0.1 * random.nextGaussian())));
        }
        Histogram pooledOnce = low.copy();
        pooledOnce.add(high);
        double twoRuns = spread(new PercentileBootstrap(List.of(low, high), new long[] {5000, 5000}, 50));
        double oneRun = spread(new PercentileBootstrap(List.of(pooledOnce), new long[] {10000}, 50));
        assertThat(twoRuns).isGreaterThan(3 * oneRun);
    }

    @Test
    void oneRunsReplicatesIgnoreTheOtherRunsOfItsSide() {
        Histogram other = sample(15);
        Histogram own = sample(16);
        PercentileBootstrap side = new PercentileBootstrap(List.of(other, own), new long[] {N, N}, 90);
        PercentileBootstrap alone = new PercentileBootstrap(List.of(own), new long[] {N}, 90);
        RandomDraws a = new RandomDraws(4);
        RandomDraws b = new RandomDraws(4);
        for (int i = 0; i < 1000; i++) {
            assertThat(side.replicateOfRun(1, a)).isEqualTo(alone.replicateOfRun(0, b));
        }
        assertThat(side.logVarianceOfRun(1, new RandomDraws(5), 2000))
                .isEqualTo(alone.logVarianceOfRun(0, new RandomDraws(5), 2000));
    }

    @Test
    void oneRunsLogVarianceIsTheRequestLevelVarianceOfItsLogMedian() {
        // Asymptotically, var(log median) = (sigma sqrt(p (1 - p)) / phi(0))² / n for log-normal
        // requests of log-sd sigma: (0.5 x 0.5 x 2.5066)² / 500 = 7.85e-4. The bootstrap variance of
        // a median from 500 values is itself noisy (relative error about n^(-1/4)), hence the margin;
        // a variance of the pooled side, or of the wrong effective count, is off by a factor.
        double sum = 0;
        for (long seed = 20; seed < 30; seed++) {
            Histogram h = sample(seed);
            sum += new PercentileBootstrap(List.of(h), new long[] {N}, 50)
                    .logVarianceOfRun(0, new RandomDraws(seed), 4000);
        }
        double expected = Math.pow(0.5 * 0.5 * Math.sqrt(2 * Math.PI), 2) / N;
        assertThat(sum / 10 / expected).isBetween(0.7, 1.4);
        Histogram h = sample(31);
        double fewer = new PercentileBootstrap(List.of(h), new long[] {N / 4}, 50)
                .logVarianceOfRun(0, new RandomDraws(3), 4000);
        double all =
                new PercentileBootstrap(List.of(h), new long[] {N}, 50).logVarianceOfRun(0, new RandomDraws(3), 4000);
        assertThat(fewer / all)
                .as("a quarter of the units, four times the variance")
                .isBetween(2.5, 6.0);
    }

    @Test
    void theRankFloorIsHalfTheLogGapBetweenThePercentilesTwoNeighbours() {
        // 100 requests at 10, 20, ..., 1000 ms: p90 is the 90th (900 ms), its neighbours 890 and 910.
        Histogram dense = Histograms.newLatency();
        for (int i = 1; i <= 100; i++) {
            dense.recordValue(i * 10_000_000L);
        }
        double half = (Math.log(910e6) - Math.log(890e6)) / 2;
        assertThat(new PercentileBootstrap(List.of(dense), new long[] {100}, 90).rankLogVarianceOfRun(0))
                .isCloseTo(half * half, within(half * half * 0.01));
        // A batch boundary at the percentile: 89 requests at 100 ms, 11 at 200 ms; p90 is the first
        // of the slow group, and one request changing rank moves it by the whole gap.
        Histogram boundary = Histograms.newLatency();
        boundary.recordValueWithCount(100_000_000L, 89);
        boundary.recordValueWithCount(200_000_000L, 11);
        double gap = Math.log(2) / 2;
        assertThat(new PercentileBootstrap(List.of(boundary), new long[] {100}, 90).rankLogVarianceOfRun(0))
                .isCloseTo(gap * gap, within(gap * gap * 0.01));
        // Away from the boundary both neighbours are in one group: only the resolution remains.
        assertThat(new PercentileBootstrap(List.of(boundary), new long[] {100}, 50).rankLogVarianceOfRun(0))
                .isZero();
    }

    @Test
    void theRankFloorCountsARankAsOneEffectiveUnitAndStaysInsideTheRun() {
        // ITL-like: 10 requests of 10 gaps each, gap values 1..100 ms; with 10 effective units a
        // rank is 10 gaps, so the median's neighbours are the 40th- and 60th-percentile regions.
        Histogram gaps = Histograms.newLatency();
        for (int i = 1; i <= 100; i++) {
            gaps.recordValue(i * 1_000_000L);
        }
        double perRequest = new PercentileBootstrap(List.of(gaps), new long[] {10}, 50).rankLogVarianceOfRun(0);
        double perGap = new PercentileBootstrap(List.of(gaps), new long[] {100}, 50).rankLogVarianceOfRun(0);
        assertThat(perRequest).isGreaterThan(50 * perGap);
        // The extremes: p99.9 of 100 has no rank above it, p0.1 none below; both stay finite.
        assertThat(new PercentileBootstrap(List.of(gaps), new long[] {100}, 99.9).rankLogVarianceOfRun(0))
                .isFinite()
                .isPositive();
        assertThat(new PercentileBootstrap(List.of(gaps), new long[] {100}, 0.1).rankLogVarianceOfRun(0))
                .isFinite()
                .isPositive();
    }

    private static double spread(PercentileBootstrap bootstrap) {
        RandomDraws draws = new RandomDraws(2);
        double[] r = new double[4000];
        for (int i = 0; i < r.length; i++) {
            r[i] = bootstrap.replicate(draws);
        }
        Arrays.sort(r);
        return Comparison.quantile(r, 0.975) - Comparison.quantile(r, 0.025);
    }

    @Test
    void betaDrawsHaveTheRightMeanAndVariance() {
        RandomDraws draws = new RandomDraws(3);
        double a = 990;
        double b = 11;
        int n = 50_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = draws.nextBeta(a, b);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        double expectedMean = a / (a + b);
        double expectedVariance = a * b / ((a + b) * (a + b) * (a + b + 1));
        assertThat(mean).isCloseTo(expectedMean, within(6 * Math.sqrt(expectedVariance / n)));
        assertThat(variance / expectedVariance).isBetween(0.95, 1.05);
    }

    @Test
    void newcombeIntervalMatchesThePublishedExample() {
        // Newcombe (1998), table II, example (e): 56/70 vs 48/80, difference 0.2, 95 % CI 0.0524 to 0.3339.
        double[] ci = ProportionInterval.newcombeDifference(48, 80, 56, 70, ProportionInterval.zFor(0.95));
        assertThat(ci[0]).isCloseTo(0.0524, within(0.0005));
        assertThat(ci[1]).isCloseTo(0.3339, within(0.0005));
    }
}
