package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.metrics.Histograms;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Calibration of the harness-limited rule on synthetic dispatch lags with a known true late
 * fraction, no timing involved: each trial records {@code n} lags in a histogram as {@code llmh run}
 * does, each late (1.001 to 50 ms) with probability {@code p}, else on time (10 us to exactly 1 ms),
 * and is judged by {@link HarnessLimit#of(Histogram)}.
 */
class HarnessLimitCalibrationTest {
    private static final int TRIALS = 2_000;
    private static final int[] SIZES = {40, 60, 80, 100, 200, 300, 500, 1_000, 3_000, 10_000};

    /** Share of {@link #TRIALS} synthetic trials of {@code n} requests judged harness-limited. */
    private static double flagged(int n, double lateFraction, long seed) {
        return flagged(n, lateFraction, seed, lag -> HarnessLimit.of(lag).limited());
    }

    private static double flagged(
            int n, double lateFraction, long seed, java.util.function.Predicate<Histogram> limited) {
        SplittableRandom random = new SplittableRandom(seed);
        Histogram lag = Histograms.newLatency();
        int flaggedTrials = 0;
        for (int t = 0; t < TRIALS; t++) {
            lag.reset();
            for (int i = 0; i < n; i++) {
                long nanos = random.nextDouble() < lateFraction
                        ? random.nextLong(1_001_000L, 50_000_000L)
                        : random.nextLong(10_000L, HarnessLimit.LATE_NANOS + 1);
                Histograms.recordLatency(lag, nanos);
            }
            flaggedTrials += limited.test(lag) ? 1 : 0;
        }
        return (double) flaggedTrials / TRIALS;
    }

    @Test
    void aHarnessLateOnePercentOfTheTimeInFiveHundredIsRarelyFlaggedAtAnySize() {
        // Exact binomial probabilities are at most 0.78 % (n = 200); 2,000 trials give ~0.2 % noise.
        for (int n : SIZES) {
            assertThat(flagged(n, 0.002, n))
                    .as("n = %d, true late fraction 0.2 %%", n)
                    .isLessThan(0.015);
        }
    }

    @Test
    void aHarnessLateFivePercentOfTheTimeIsFlaggedAlmostAlwaysFromTwoHundredRequests() {
        for (int n : SIZES) {
            double share = flagged(n, 0.05, 31L * n);
            if (n >= 200) {
                assertThat(share).as("n = %d, true late fraction 5 %%", n).isGreaterThan(0.99);
            } else if (n >= 100) {
                // Exact: 88 % at n = 100.
                assertThat(share).as("n = %d", n).isGreaterThan(0.85);
            } else {
                // 40-80 requests hold 2-4 late ones on average: no rule that ignores one stall sees
                // them reliably. The rule still flags them far more often than a 0.2 % harness.
                assertThat(share).as("n = %d", n).isGreaterThan(0.25);
            }
        }
    }

    @Test
    void theP99RuleItReplacesFlaggedThatHarnessInOneSmallTrialOfTen() {
        // "dispatch lag p99 above 1 ms": at 40-80 requests the p99 is the worst one or two.
        java.util.function.Predicate<Histogram> p99 =
                lag -> lag.getValueAtPercentile(99) > lag.highestEquivalentValue(HarnessLimit.LATE_NANOS);
        for (int n : new int[] {40, 60, 80}) {
            assertThat(flagged(n, 0.002, n, p99)).as("n = %d", n).isBetween(0.05, 0.2);
            assertThat(flagged(n, 0.002, n)).as("n = %d", n).isLessThan(0.005);
        }
    }

    @Test
    void theBoundaryIsOnePercentForLargeSamples() {
        // At n = 10,000 the rule is "p99 above 1 ms": 0.5 % late is never flagged, 2 % always.
        assertThat(flagged(10_000, 0.005, 7)).isZero();
        assertThat(flagged(10_000, 0.02, 8)).isEqualTo(1.0);
    }
}
