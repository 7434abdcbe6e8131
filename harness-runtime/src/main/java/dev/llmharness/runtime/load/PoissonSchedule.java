package dev.llmharness.runtime.load;

/**
 * Poisson arrivals: exponentially distributed gaps with mean {@code 1 / rate} seconds. Gap {@code
 * i} is {@code -ln(1 - u) / rate} where {@code u} in [0, 1) is the {@code (i+1)}-th output of
 * {@code new SplittableRandom(seed)}, computed directly from {@code seed} and {@code i} (SplitMix64)
 * so that any gap can be found without drawing the ones before it.
 */
public record PoissonSchedule(double rate, long seed) implements ArrivalSchedule {
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    public PoissonSchedule {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("rate must be finite and > 0 requests/s, got " + rate);
        }
    }

    @Override
    public long gapNanos(long index) {
        double u = (mix64(seed + (index + 1) * GAMMA) >>> 11) * 0x1.0p-53;
        return Math.round(-Math.log1p(-u) / rate * 1e9);
    }

    /** SplitMix64's output function (the one {@code java.util.SplittableRandom} uses). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
