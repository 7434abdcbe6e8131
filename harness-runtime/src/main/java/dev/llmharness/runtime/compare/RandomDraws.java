package dev.llmharness.runtime.compare;

import java.util.SplittableRandom;

/**
 * Draws from the distributions the bootstrap needs. StrictMath throughout, so that a seed gives the
 * same report on every JVM (Math may use intrinsics that differ in the last place).
 */
final class RandomDraws {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    RandomDraws(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in (0, 1). */
    double nextOpenUniform() {
        double u;
        do {
            u = random.nextDouble();
        } while (u == 0.0);
        return u;
    }

    /** Standard normal, Marsaglia's polar method. */
    double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * factor;
        return u * factor;
    }

    /** Gamma(shape, 1) for shape >= 1: Marsaglia and Tsang (2000). */
    double nextGamma(double shape) {
        if (shape < 1) {
            throw new IllegalArgumentException("shape must be >= 1, got " + shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = nextOpenUniform();
            if (u < 1 - 0.0331 * x * x * x * x) {
                return d * v;
            }
            if (StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v;
            }
        }
    }

    /** Beta(a, b) for a, b >= 1, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    double nextBeta(double a, double b) {
        double x = nextGamma(a);
        double y = nextGamma(b);
        return x / (x + y);
    }
}
