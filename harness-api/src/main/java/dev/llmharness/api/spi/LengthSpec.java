package dev.llmharness.api.spi;

import dev.llmharness.api.Distribution;
import java.util.Objects;

/**
 * How one token count varies.
 *
 * @param distribution the distribution
 * @param value the count ({@code FIXED}) or mean ({@code NORMAL}); unused by {@code UNIFORM} and
 *     {@code EMPIRICAL}
 * @param min inclusive lower bound, {@code >= 1}
 * @param max inclusive upper bound, {@code >= min}
 * @param stddev standard deviation ({@code NORMAL}), {@code >= 0}
 */
public record LengthSpec(Distribution distribution, int value, int min, int max, double stddev) {
    public LengthSpec {
        Objects.requireNonNull(distribution, "distribution");
        if (min < 1) {
            throw new IllegalArgumentException("the minimum token count must be >= 1, got " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException(
                    "the maximum token count (" + max + ") must be >= the minimum (" + min + ")");
        }
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("the standard deviation must be finite and >= 0, got " + stddev);
        }
        if ((distribution == Distribution.FIXED || distribution == Distribution.NORMAL) && value < 1) {
            throw new IllegalArgumentException("the token count must be >= 1, got " + value);
        }
        if (distribution == Distribution.NORMAL && (value < min || value > max)) {
            throw new IllegalArgumentException(
                    "the mean token count (" + value + ") must lie within [" + min + ", " + max + "]");
        }
    }

    public static LengthSpec fixed(int tokens) {
        return new LengthSpec(Distribution.FIXED, tokens, Math.max(1, tokens), Math.max(1, tokens), 0);
    }

    public static LengthSpec uniform(int min, int max) {
        return new LengthSpec(Distribution.UNIFORM, 0, min, max, 0);
    }

    public static LengthSpec normal(int mean, double stddev, int min, int max) {
        return new LengthSpec(Distribution.NORMAL, mean, min, max, stddev);
    }

    public static LengthSpec empirical(int min, int max) {
        return new LengthSpec(Distribution.EMPIRICAL, 0, min, max, 0);
    }
}
