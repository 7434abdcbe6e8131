package dev.llmharness.runtime.load;

import dev.llmharness.api.Limits;

/**
 * How arrivals are spaced in "expected-arrival" time, before a {@link RateProfile} stretches them
 * to the intended rate: the gaps of a renewal process with mean 1. Gap {@code i} is a pure function
 * of the seed and {@code i}.
 *
 * <p>Gaps are returned in fixed point, {@link #TICKS_PER_ARRIVAL} ticks per expected arrival, so
 * that a schedule sums them exactly as integers. The rounding to a tick (2⁻³² of an arrival, about
 * 0.23 ns at 1 request/s) is part of the definition of each gap.
 */
public sealed interface UnitGaps permits UnitGaps.Even, UnitGaps.Exponential, UnitGaps.Gamma {
    /** Ticks per expected arrival: 2³², which leaves room for 2³¹ arrivals in a {@code long}. */
    long TICKS_PER_ARRIVAL = 1L << 32;

    /** The gaps of an arrival kind: even, exponential (burstiness 1) or gamma. */
    static UnitGaps of(dev.llmharness.api.Arrival arrival, double burstiness) {
        if (arrival == dev.llmharness.api.Arrival.CONSTANT) {
            return new Even();
        }
        return burstiness == 1.0 ? new Exponential() : new Gamma(burstiness);
    }

    /** Gap {@code index} (between request {@code index} and {@code index + 1}), ticks, {@code >= 0}. */
    long gapTicks(long seed, long index);

    /** The coefficient of variation of the gaps: 0 for even spacing, 1 for Poisson. */
    double cv();

    /** Every gap is exactly one expected arrival: request {@code i} at {@code Λ⁻¹(i)}. */
    record Even() implements UnitGaps {
        @Override
        public long gapTicks(long seed, long index) {
            return TICKS_PER_ARRIVAL;
        }

        @Override
        public double cv() {
            return 0;
        }
    }

    /**
     * Exponential gaps with mean 1: a (non-homogeneous) Poisson process once the profile stretches
     * it. Gap {@code i} is {@code -ln(1 - u)} with {@code u} the {@code (i+1)}-th {@code
     * nextDouble()} of {@code new SplittableRandom(seed)}.
     */
    record Exponential() implements UnitGaps {
        @Override
        public long gapTicks(long seed, long index) {
            return toTicks(-Math.log1p(-IndexedRandom.uniform(seed, index)));
        }

        @Override
        public double cv() {
            return 1;
        }
    }

    /**
     * Gamma-distributed gaps with mean 1 and shape {@code burstiness} (vLLM's {@code
     * --burstiness}): 1 is Poisson, below 1 burstier (clustered arrivals, coefficient of variation
     * {@code 1/√burstiness}), above 1 more even. Sampled per index by Marsaglia and Tsang's method
     * from that index's own random stream.
     *
     * @param burstiness the gamma shape, in [{@link Limits#MIN_BURSTINESS}, {@link
     *     Limits#MAX_BURSTINESS}]
     */
    record Gamma(double burstiness) implements UnitGaps {
        public Gamma {
            // The bounds the processor and the load models hold burstiness to, in their words.
            String outside = Limits.outsideBurstiness("burstiness", burstiness);
            if (outside != null) {
                throw new IllegalArgumentException(outside);
            }
        }

        @Override
        public long gapTicks(long seed, long index) {
            return toTicks(sample(seed, index) / burstiness);
        }

        @Override
        public double cv() {
            return 1 / Math.sqrt(burstiness);
        }

        /** A Gamma(burstiness, 1) variate. */
        private double sample(long seed, long index) {
            if (burstiness >= 1) {
                return marsagliaTsang(burstiness, seed, index, 0);
            }
            // Shape below 1: Gamma(a) = Gamma(a + 1) · U^(1/a) (draw 0 is U, the rest feed the sampler).
            double u = IndexedRandom.uniform(seed, index, 0);
            return marsagliaTsang(burstiness + 1, seed, index, 1) * Math.pow(u, 1 / burstiness);
        }

        private static double marsagliaTsang(double shape, long seed, long index, int firstDraw) {
            double d = shape - 1.0 / 3;
            double c = 1 / Math.sqrt(9 * d);
            int draw = firstDraw;
            while (true) {
                // A standard normal by Box–Muller (the cosine branch), then the squeeze-free test.
                double u1 = IndexedRandom.uniform(seed, index, draw++);
                double u2 = IndexedRandom.uniform(seed, index, draw++);
                double x = Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
                double v = 1 + c * x;
                if (v <= 0) {
                    continue;
                }
                v = v * v * v;
                double u = IndexedRandom.uniform(seed, index, draw++);
                if (Math.log1p(-u) < x * x / 2 + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }
    }

    private static long toTicks(double arrivals) {
        return Math.round(arrivals * TICKS_PER_ARRIVAL);
    }
}
