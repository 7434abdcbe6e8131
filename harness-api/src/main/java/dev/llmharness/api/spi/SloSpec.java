package dev.llmharness.api.spi;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Service-level objectives of a trial.
 *
 * @param bounds latency bounds, possibly empty
 * @param maxErrorRate largest acceptable error rate in [0, 1], or empty for none
 */
public record SloSpec(List<LatencyBound> bounds, OptionalDouble maxErrorRate) {
    /** No objectives. */
    public static final SloSpec NONE = new SloSpec(List.of(), OptionalDouble.empty());

    public SloSpec {
        bounds = List.copyOf(bounds);
        if (maxErrorRate.isPresent()) {
            double r = maxErrorRate.getAsDouble();
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("maxErrorRate must be in [0, 1], got " + r);
            }
        }
    }

    public boolean isEmpty() {
        return bounds.isEmpty() && maxErrorRate.isEmpty();
    }
}
