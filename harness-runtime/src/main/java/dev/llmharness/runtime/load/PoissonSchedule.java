package dev.llmharness.runtime.load;

/**
 * Poisson arrivals: exponentially distributed gaps with mean {@code 1 / rate} seconds. Gap {@code
 * i} is {@code -ln(1 - u) / rate} where {@code u} in [0, 1) is the {@code (i+1)}-th output of
 * {@code new SplittableRandom(seed)}, computed directly from {@code seed} and {@code i} (SplitMix64)
 * so that any gap can be found without drawing the ones before it. Ticks are nanoseconds.
 */
public record PoissonSchedule(double rate, long seed) implements ArrivalSchedule {
    public PoissonSchedule {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("rate must be finite and > 0 requests/s, got " + rate);
        }
    }

    @Override
    public long gapTicks(long index) {
        return Math.round(-Math.log1p(-IndexedRandom.uniform(seed, index)) / rate * 1e9);
    }

    @Override
    public double rateAt(long offsetNanos) {
        return rate;
    }

    @Override
    public double peakRate() {
        return rate;
    }
}
