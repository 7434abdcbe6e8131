package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    @Test
    void constantScheduleIsEvenlySpacedWithoutDrift() {
        ArrivalSchedule s = ArrivalSchedule.of(new OpenLoopModel(Arrival.CONSTANT, 3, 0), 1);
        ScheduleCursor c = new ScheduleCursor(s, 0, 1);
        long previous = c.next();
        assertThat(previous).isZero();
        for (int i = 1; i < 30_000; i++) {
            long now = c.next();
            assertThat(now - previous).isBetween(333_333_333L, 333_333_334L);
            previous = now;
        }
        // Request 30000 at exactly 10000 s: rounding of gaps never accumulates.
        assertThat(c.next()).isEqualTo(10_000_000_000_000L);
        assertThat(s.offsetNanos(30_000)).isEqualTo(10_000_000_000_000L);
    }

    @Test
    void poissonScheduleHasTheRequestedMeanRateAndExponentialGaps() {
        for (long seed : new long[] {1, 42, 20261123}) {
            double rate = 250;
            ArrivalSchedule s = new PoissonSchedule(rate, seed);
            int n = 20_000;
            double[] gaps = new double[n];
            for (int i = 0; i < n; i++) {
                gaps[i] = s.gapTicks(i) / 1e9;
            }
            double mean = Arrays.stream(gaps).average().orElseThrow();
            // Standard error of the mean of n exponentials is mean / sqrt(n) (0.7 %); allow 4 %.
            assertThat(mean).isCloseTo(1 / rate, within(0.04 / rate));
            // Kolmogorov–Smirnov against Exp(rate): critical value at alpha = 0.001 is 1.95 / sqrt(n).
            Arrays.sort(gaps);
            double d = 0;
            for (int i = 0; i < n; i++) {
                double cdf = 1 - Math.exp(-rate * gaps[i]);
                d = Math.max(d, Math.max((i + 1.0) / n - cdf, cdf - (double) i / n));
            }
            assertThat(d).as("KS statistic for seed %d", seed).isLessThan(1.95 / Math.sqrt(n));
        }
    }

    @Test
    void poissonScheduleIsAPureFunctionOfSeedAndIndex() {
        ArrivalSchedule a = new PoissonSchedule(10, 7);
        ArrivalSchedule b = new PoissonSchedule(10, 7);
        ArrivalSchedule other = new PoissonSchedule(10, 8);
        assertThat(a.gapTicks(12_345)).isEqualTo(b.gapTicks(12_345));
        assertThat(a.offsetNanos(500)).isEqualTo(b.offsetNanos(500));
        assertThat(a.offsetNanos(500)).isNotEqualTo(other.offsetNanos(500));
        // The gaps are SplittableRandom's sequence, drawn without the ones before.
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 5; i++) {
            double u = r.nextDouble();
            assertThat(a.gapTicks(i)).isEqualTo(Math.round(-Math.log1p(-u) / 10 * 1e9));
        }
    }

    @Test
    void shardsTogetherReproduceTheOneGlobalSchedule() {
        ArrivalSchedule s = new PoissonSchedule(100, 3);
        int shards = 3;
        long[] global = new long[300];
        ScheduleCursor all = new ScheduleCursor(s, 0, 1);
        for (int i = 0; i < global.length; i++) {
            global[i] = all.next();
        }
        for (int shard = 0; shard < shards; shard++) {
            ScheduleCursor c = new ScheduleCursor(s, shard, shards);
            for (int k = 0; k < global.length / shards; k++) {
                long offset = c.next();
                assertThat(c.index() % shards).isEqualTo(shard);
                assertThat(offset).isEqualTo(global[(int) c.index()]);
            }
        }
    }
}
