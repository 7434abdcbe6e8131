package dev.llmharness.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Service-level objectives of a trial.
 *
 * @param bounds latency bounds, possibly empty
 * @param maxErrorRate largest acceptable error rate in [0, 1], or empty for none
 * @param windows the share of windows that must meet the other objectives, or empty for none
 * @param throughput the share of the offered requests each window must complete, or empty for none
 */
public record SloSpec(
        List<LatencyBound> bounds,
        OptionalDouble maxErrorRate,
        Optional<WindowObjective> windows,
        Optional<ThroughputObjective> throughput) {
    /** No objectives. */
    public static final SloSpec NONE = new SloSpec(List.of(), OptionalDouble.empty());

    /** Objectives without a per-window one. */
    public SloSpec(List<LatencyBound> bounds, OptionalDouble maxErrorRate) {
        this(bounds, maxErrorRate, Optional.empty());
    }

    /** Objectives without a throughput one. */
    public SloSpec(List<LatencyBound> bounds, OptionalDouble maxErrorRate, Optional<WindowObjective> windows) {
        this(bounds, maxErrorRate, windows, Optional.empty());
    }

    public SloSpec {
        bounds = List.copyOf(bounds);
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(throughput, "throughput");
        if (maxErrorRate.isPresent()) {
            double r = maxErrorRate.getAsDouble();
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("maxErrorRate must be in [0, 1], got " + r);
            }
        }
    }

    public boolean isEmpty() {
        return bounds.isEmpty() && maxErrorRate.isEmpty() && windows.isEmpty() && throughput.isEmpty();
    }

    /** These objectives with {@code maxErrorRate} instead of this one's. */
    public SloSpec withMaxErrorRate(OptionalDouble rate) {
        return new SloSpec(bounds, rate, windows, throughput);
    }

    /** These objectives with {@code bounds} instead of this one's. */
    public SloSpec withBounds(List<LatencyBound> other) {
        return new SloSpec(other, maxErrorRate, windows, throughput);
    }
}
