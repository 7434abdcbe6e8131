package dev.llmharness.api.spi;

import dev.llmharness.api.Arrival;
import java.util.Objects;

/**
 * Open-loop load.
 *
 * @param arrival how start instants are spaced
 * @param rate requests per second, finite and {@code > 0}
 * @param maxInFlight cap on requests in flight, {@code 0} for none
 */
public record OpenLoopModel(Arrival arrival, double rate, int maxInFlight) implements LoadModel {
    public OpenLoopModel {
        Objects.requireNonNull(arrival, "arrival");
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("rate must be finite and > 0 requests/s, got " + rate);
        }
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 0 (0 means no cap), got " + maxInFlight);
        }
    }
}
