package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.load.RateProfile.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each open-loop shape's instants against its definition, {@code tᵢ = Λ⁻¹(Sᵢ)}, recomputed here
 * independently: {@code Λ} by summing trapezoids, its inverse by bisection to 1 ns, {@code Sᵢ} by
 * compensated summation of the raw gaps. Pure computation, no clocks.
 */
class ShapedScheduleTest {
    private static final int MILLION = 1_000_000;
    private static final long MICROSECOND = 1_000;

    @Test
    void linearRampMatchesItsDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        // 0 -> 2000 req/s over 1000 s: 10^6 arrivals expected.
        assertEvenArrivalsMatch(RateProfile.ramp(0, 2000, Duration.ofSeconds(1000)));
    }

    @Test
    void stagesMatchTheirDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        assertEvenArrivalsMatch(RateProfile.stages(
                100,
                List.of(
                        Segment.of(Duration.ofSeconds(200), 3000),
                        Segment.of(Duration.ofSeconds(200), 3000),
                        Segment.of(Duration.ofSeconds(100), 500),
                        Segment.of(Duration.ZERO, 50),
                        Segment.of(Duration.ofSeconds(10), 0))));
    }

    @Test
    void stepTestMatchesItsDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        assertEvenArrivalsMatch(RateProfile.steps(200, 200, 5, Duration.ofSeconds(350), Duration.ofSeconds(20)));
    }

    @Test
    void spikeMatchesItsDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        assertEvenArrivalsMatch(RateProfile.spike(
                100,
                5000,
                Duration.ofSeconds(300),
                Duration.ofSeconds(1),
                Duration.ofSeconds(200),
                Duration.ZERO,
                Duration.ofSeconds(300)));
    }

    @Test
    void soakMatchesItsDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        assertEvenArrivalsMatch(RateProfile.constant(300, Duration.ofHours(1)));
    }

    @Test
    void poissonArrivalsOnARampMatchTheirDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        RateProfile profile = RateProfile.ramp(10, 3000, Duration.ofSeconds(700));
        long seed = 20261206;
        ShapedSchedule schedule = new ShapedSchedule(profile, new UnitGaps.Exponential(), seed);
        Reference ref = new Reference(profile);
        // The raw gaps, drawn in sequence from SplittableRandom as the definition says.
        SplittableRandom random = new SplittableRandom(seed);
        ScheduleCursor cursor = new ScheduleCursor(schedule, 0, 1);
        double sum = 0;
        double compensation = 0;
        int n = 0;
        long worst = 0;
        while (true) {
            long offset = cursor.next();
            if (offset == ArrivalSchedule.END) {
                break;
            }
            worst = Math.max(worst, Math.abs(offset - ref.offsetOf(sum, offset)));
            n++;
            // Kahan summation of -ln(1 - u): the exact sum to well below a nanosecond's worth.
            double y = -Math.log1p(-random.nextDouble()) - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        assertThat(n).isGreaterThan(MILLION);
        assertThat(worst).as("largest |instant - definition|, ns").isLessThan(MICROSECOND);
    }

    @Test
    void traceReplayMatchesItsRecordedInstantsWithinOneMicrosecondOverAMillionArrivals() {
        // A week of irregular arrivals (gaps of 0 to about 1.2 s, some equal instants), replayed
        // 3 times faster: request i at its recorded offset / 3, whatever the speed-up's rounding.
        long[] offsets = new long[MILLION];
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 1; i < MILLION; i++) {
            offsets[i] = offsets[i - 1] + (random.nextInt(10) == 0 ? 0 : random.nextLong(1_209_600_000L));
        }
        int[] unknown = new int[MILLION];
        Arrays.fill(unknown, ArrivalTrace.UNKNOWN);
        ArrivalTrace trace = new ArrivalTrace("generated", offsets, unknown, unknown);
        ScheduleCursor cursor = new ScheduleCursor(new TraceSchedule(trace, 3), 0, 1);
        double worst = 0;
        for (int i = 0; i < MILLION; i++) {
            worst = Math.max(worst, Math.abs(cursor.next() - offsets[i] / 3.0));
        }
        assertThat(worst).isLessThanOrEqualTo((double) MICROSECOND);
        assertThat(cursor.next()).isEqualTo(ArrivalSchedule.END);
    }

    @Test
    void poissonArrivalsOnARampAreANonHomogeneousPoissonProcess() {
        // Time rescaling: Λ(t_{i+1}) - Λ(t_i) of a Poisson process of intensity λ(t) is Exp(1).
        RateProfile profile = RateProfile.ramp(5, 500, Duration.ofSeconds(80));
        for (long seed : new long[] {1, 42, 7_000_007}) {
            ShapedSchedule schedule = new ShapedSchedule(profile, new UnitGaps.Exponential(), seed);
            List<Double> rescaled = new ArrayList<>();
            ScheduleCursor cursor = new ScheduleCursor(schedule, 0, 1);
            long previous = cursor.next();
            long offset;
            while ((offset = cursor.next()) != ArrivalSchedule.END) {
                rescaled.add(profile.arrivalsBy(offset) - profile.arrivalsBy(previous));
                previous = offset;
            }
            double[] gaps = rescaled.stream().mapToDouble(Double::doubleValue).toArray();
            assertThat(ks(gaps, x -> 1 - Math.exp(-x)))
                    .as("KS statistic against Exp(1), seed %d", seed)
                    .isLessThan(1.95 / Math.sqrt(gaps.length));
            // The count is Poisson with mean Λ(end) = 20200: within 4 standard deviations.
            double expected = profile.expectedArrivals();
            assertThat((double) gaps.length + 1)
                    .isBetween(expected - 4 * Math.sqrt(expected), expected + 4 * Math.sqrt(expected));
        }
    }

    @Test
    void gammaGapsHaveMeanOneAndTheBurstinessAsTheirShape() {
        for (double burstiness : new double[] {0.25, 1, 4}) {
            UnitGaps gaps = new UnitGaps.Gamma(burstiness);
            int n = 20_000;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = gaps.gapTicks(99, i) / (double) UnitGaps.TICKS_PER_ARRIVAL;
            }
            double mean = Arrays.stream(x).average().orElseThrow();
            double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            // Mean 1 with standard error cv/√n; allow 4 of them.
            double cv = 1 / Math.sqrt(burstiness);
            assertThat(mean)
                    .as("mean, burstiness %s", burstiness)
                    .isBetween(1 - 4 * cv / Math.sqrt(n), 1 + 4 * cv / Math.sqrt(n));
            assertThat(Math.sqrt(variance) / mean)
                    .as("CV, burstiness %s", burstiness)
                    .isBetween(0.9 * cv, 1.1 * cv);
            double shape = burstiness;
            assertThat(ks(x, v -> regularizedGammaP(shape, shape * v)))
                    .as("KS statistic against Gamma(%s, 1/%s)", burstiness, burstiness)
                    .isLessThan(1.95 / Math.sqrt(n));
        }
    }

    @Test
    void gammaArrivalsAtBurstinessOneAreExponential() {
        UnitGaps gaps = new UnitGaps.Gamma(1);
        double[] x = new double[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaps.gapTicks(5, i) / (double) UnitGaps.TICKS_PER_ARRIVAL;
        }
        assertThat(ks(x, v -> 1 - Math.exp(-v))).isLessThan(1.95 / Math.sqrt(x.length));
        assertThat(gaps.cv()).isEqualTo(new UnitGaps.Exponential().cv());
    }

    @Test
    void gammaScheduleMatchesItsDefinitionWithinOneMicrosecondOverAMillionArrivals() {
        // The gaps are as sampled (their own definition); the instants must follow them without drift.
        RateProfile profile = RateProfile.constant(1500, Duration.ofSeconds(700));
        UnitGaps gaps = new UnitGaps.Gamma(0.5);
        ShapedSchedule schedule = new ShapedSchedule(profile, gaps, 3);
        Reference ref = new Reference(profile);
        ScheduleCursor cursor = new ScheduleCursor(schedule, 0, 1);
        long worst = 0;
        double sum = 0;
        int n = 0;
        for (long offset; (offset = cursor.next()) != ArrivalSchedule.END; n++) {
            worst = Math.max(worst, Math.abs(offset - ref.offsetOf(sum, offset)));
            sum += gaps.gapTicks(3, n) / (double) UnitGaps.TICKS_PER_ARRIVAL;
        }
        assertThat(n).isGreaterThan(MILLION);
        assertThat(worst).isLessThan(MICROSECOND);
    }

    @Test
    void everyRandomShapeIsAPureFunctionOfSeedAndIndex() {
        RateProfile spike = RateProfile.spike(
                10,
                800,
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofSeconds(5));
        for (UnitGaps gaps : List.of(new UnitGaps.Exponential(), new UnitGaps.Gamma(0.3), new UnitGaps.Gamma(3))) {
            ArrivalSchedule a = new ShapedSchedule(spike, gaps, 11);
            ArrivalSchedule b = new ShapedSchedule(spike, gaps, 11);
            ArrivalSchedule other = new ShapedSchedule(spike, gaps, 12);
            assertThat(a.gapTicks(4321)).isEqualTo(b.gapTicks(4321));
            assertThat(a.offsetNanos(2000)).isEqualTo(b.offsetNanos(2000));
            assertThat(a.offsetNanos(2000)).isNotEqualTo(other.offsetNanos(2000));
            // Gap i does not depend on having computed the ones before it.
            long late = a.gapTicks(10_000);
            for (int i = 0; i < 100; i++) {
                a.gapTicks(i);
            }
            assertThat(a.gapTicks(10_000)).isEqualTo(late);
        }
    }

    @Test
    void shardsOfAShapedScheduleTogetherReproduceTheGlobalOne() {
        ArrivalSchedule s = new ShapedSchedule(
                RateProfile.steps(10, 40, 3, Duration.ofSeconds(2), Duration.ofSeconds(1)), new UnitGaps.Gamma(0.5), 9);
        List<Long> global = new ArrayList<>();
        ScheduleCursor all = new ScheduleCursor(s, 0, 1);
        for (long o; (o = all.next()) != ArrivalSchedule.END; ) {
            global.add(o);
        }
        int shards = 4;
        int seen = 0;
        for (int shard = 0; shard < shards; shard++) {
            ScheduleCursor c = new ScheduleCursor(s, shard, shards);
            for (long o; (o = c.next()) != ArrivalSchedule.END; seen++) {
                assertThat(c.index() % shards).isEqualTo(shard);
                assertThat(o).isEqualTo(global.get((int) c.index()));
            }
        }
        assertThat(seen).isEqualTo(global.size());
    }

    @Test
    void aShapeEndsWithItsProfileAndStaysEnded() {
        // 10 req/s for 1 s, evenly: requests at 0, 0.1, ..., 0.9 s, then the end.
        ScheduleCursor c = new ScheduleCursor(
                new ShapedSchedule(RateProfile.constant(10, Duration.ofSeconds(1)), new UnitGaps.Even(), 0), 0, 1);
        for (int i = 0; i < 10; i++) {
            assertThat(c.next()).isEqualTo(i * 100_000_000L);
        }
        assertThat(c.next()).isEqualTo(ArrivalSchedule.END);
        assertThat(c.next()).isEqualTo(ArrivalSchedule.END);
    }

    @Test
    void aRampFromZeroStartsAtZeroAndAZeroRateStageIsSkipped() {
        RateProfile quietFirst = RateProfile.stages(
                0, List.of(Segment.of(Duration.ofSeconds(5), 0), Segment.of(Duration.ofSeconds(1), 10)));
        assertThat(quietFirst.offsetOf(0)).isEqualTo(5_000_000_000L);
        assertThat(quietFirst.rateAt(5_500_000_000L)).isEqualTo(5);
        RateProfile ramp = RateProfile.ramp(0, 10, Duration.ofSeconds(10));
        assertThat(ramp.offsetOf(0)).isZero();
        // Λ(t) = t²/2 (t in s): the 8th arrival at t = 4 s.
        assertThat(ramp.offsetOf(8)).isEqualTo(4_000_000_000L);
        assertThat(ramp.rateAt(2_500_000_000L)).isEqualTo(2.5);
        assertThat(ramp.expectedArrivals()).isEqualTo(50);
    }

    @Test
    void rateScaleMultipliesEveryRateAndKeepsTheTiming() {
        RateProfile step = RateProfile.steps(10, 10, 3, Duration.ofSeconds(10), Duration.ofSeconds(2));
        RateProfile scaled = step.scaled(2.5);
        assertThat(scaled.peakRate()).isEqualTo(75);
        assertThat(scaled.durationNanos()).isEqualTo(step.durationNanos());
        assertThat(scaled.expectedArrivals())
                .isCloseTo(2.5 * step.expectedArrivals(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void badShapesAreRejectedWithTheFix() {
        assertThatThrownBy(() -> RateProfile.ramp(0, 0, Duration.ofSeconds(10)))
                .hasMessageContaining("every rate is 0");
        assertThatThrownBy(() -> RateProfile.ramp(-1, 10, Duration.ofSeconds(10)))
                .hasMessageContaining("start rate must be finite and >= 0");
        assertThatThrownBy(() -> RateProfile.ramp(1, 10, Duration.ZERO))
                .hasMessageContaining("the ramp's duration must be longer than 0s");
        assertThatThrownBy(() -> RateProfile.steps(10, -5, 4, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("level 4's rate must be finite and >= 0");
        assertThatThrownBy(() -> RateProfile.steps(10, 5, 0, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("at least 1 level");
        assertThatThrownBy(() -> RateProfile.spike(
                        100, 50, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("peak rate (50.0) must be above the base rate (100.0)");
        assertThatThrownBy(() -> RateProfile.stages(1, List.of())).hasMessageContaining("at least one stage");
        assertThatThrownBy(() -> new UnitGaps.Gamma(0))
                .hasMessageContaining("burstiness must be in [0.01, 1000] (1 = Poisson, < 1 burstier, > 1 more even)");
        assertThatThrownBy(() -> Segment.of(Duration.ofSeconds(1), Double.NaN))
                .hasMessageContaining("target rate must be finite");
    }

    // ---- the independent reference ----------------------------------------------------------

    /** Every even arrival of a profile, request i at Λ⁻¹(i), against the reference. */
    private static void assertEvenArrivalsMatch(RateProfile profile) {
        ShapedSchedule schedule = new ShapedSchedule(profile, new UnitGaps.Even(), 0);
        Reference ref = new Reference(profile);
        ScheduleCursor cursor = new ScheduleCursor(schedule, 0, 1);
        long worst = 0;
        long n = 0;
        for (long offset; (offset = cursor.next()) != ArrivalSchedule.END; n++) {
            worst = Math.max(worst, Math.abs(offset - ref.offsetOf(n, offset)));
        }
        assertThat(n).as("arrivals").isGreaterThanOrEqualTo(MILLION);
        // Every arrival strictly inside the profile's expected total, none missing or extra.
        assertThat((double) n).isBetween(profile.expectedArrivals(), profile.expectedArrivals() + 1);
        assertThat(worst).as("largest |instant - definition|, ns").isLessThan(MICROSECOND);
    }

    /** Λ by trapezoids from the profile's stages, and Λ⁻¹ by bisection over whole nanoseconds. */
    private static final class Reference {
        private final double startRate;
        private final long[] durations;
        private final double[] targets;
        private final long[] starts;
        private final double[] before;
        private final double[] from;

        Reference(RateProfile p) {
            startRate = p.startRate();
            durations = p.segments().stream().mapToLong(Segment::durationNanos).toArray();
            targets = p.segments().stream().mapToDouble(Segment::toRate).toArray();
            int n = durations.length;
            starts = new long[n + 1];
            before = new double[n + 1];
            from = new double[n];
            double rate = startRate;
            for (int k = 0; k < n; k++) {
                from[k] = rate;
                starts[k + 1] = starts[k] + durations[k];
                before[k + 1] = before[k] + (rate + targets[k]) / 2 * (durations[k] / 1e9);
                rate = targets[k];
            }
        }

        /** Λ(t): the trapezoids of the whole stages before t, plus the part of the one holding t. */
        double cumulative(long t) {
            int k = 0;
            while (k < durations.length && starts[k + 1] <= t) {
                k++;
            }
            if (k == durations.length) {
                return before[k];
            }
            double covered = (t - starts[k]) / 1e9;
            double rateThere = from[k] + (targets[k] - from[k]) * (covered / (durations[k] / 1e9));
            return before[k] + (from[k] + rateThere) / 2 * covered;
        }

        /**
         * The least whole nanosecond t with Λ(t) > s, by bisection (Λ is non-decreasing), starting
         * from a bracket of ±1 µs around {@code hint} when it holds the answer, else from the whole
         * profile.
         */
        long offsetOf(double s, long hint) {
            long lo = hint - MICROSECOND;
            long hi = hint + MICROSECOND;
            if (lo < -1 || cumulative(lo) > s || !(cumulative(hi) > s)) {
                lo = -1;
                hi = starts[durations.length];
            }
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                if (cumulative(mid) > s) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            // inf{t : Λ(t) > s} lies in (lo, hi]; at a ramp's zero-rate start it is lo + 1 == 0.
            return hi;
        }
    }

    // ---- statistics --------------------------------------------------------------------------

    /** The Kolmogorov–Smirnov statistic of a sample against a CDF. */
    private static double ks(double[] sample, java.util.function.DoubleUnaryOperator cdf) {
        double[] x = sample.clone();
        Arrays.sort(x);
        int n = x.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(x[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }

    /** The regularized lower incomplete gamma function P(a, x): series below a + 1, continued fraction above. */
    static double regularizedGammaP(double a, double x) {
        if (x <= 0) {
            return 0;
        }
        double logPrefix = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return sum * Math.exp(logPrefix);
        }
        // Lentz's method for the continued fraction of Q(a, x).
        double b = x + 1 - a;
        double c = 1 / Double.MIN_NORMAL;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < Double.MIN_NORMAL ? Double.MIN_NORMAL : d;
            c = b + an / c;
            c = Math.abs(c) < Double.MIN_NORMAL ? Double.MIN_NORMAL : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return 1 - Math.exp(logPrefix) * h;
    }

    /** ln Γ(a) by the Lanczos approximation (g = 7, 9 terms), accurate to about 1e-15 relative. */
    static double logGamma(double a) {
        if (a < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
        }
        double[] g = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        double z = a - 1;
        double x = g[0];
        for (int i = 1; i < 9; i++) {
            x += g[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
    }
}
