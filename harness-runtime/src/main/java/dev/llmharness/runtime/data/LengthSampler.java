package dev.llmharness.runtime.data;

import dev.llmharness.api.spi.LengthSpec;
import java.util.SplittableRandom;

/**
 * Draws one token count per request from a {@link LengthSpec} other than {@code EMPIRICAL}
 * (which {@link ShapePromptSource} draws from a dataset instead).
 */
final class LengthSampler {
    private final LengthSpec spec;

    LengthSampler(LengthSpec spec) {
        this.spec = spec;
    }

    /** A count in {@code [spec.min(), spec.max()]}, or {@code spec.value()} when fixed. */
    int sample(SplittableRandom random) {
        switch (spec.distribution()) {
            case FIXED:
                return spec.value();
            case UNIFORM:
                // nextLong: max - min + 1 may overflow an int when max is Integer.MAX_VALUE.
                return (int) random.nextLong(spec.min(), (long) spec.max() + 1);
            case NORMAL:
                double drawn = spec.value() + spec.stddev() * random.nextGaussian();
                return (int) Math.max(spec.min(), Math.min(spec.max(), Math.round(drawn)));
            default:
                throw new IllegalStateException(spec.distribution() + " lengths are not drawn by LengthSampler");
        }
    }
}
