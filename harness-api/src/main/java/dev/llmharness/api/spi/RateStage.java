package dev.llmharness.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One stage of a rate shape: the rate goes linearly from where the previous stage ended to {@code
 * toRate} over {@code duration} (a duration of 0 jumps to it).
 *
 * @param duration {@code >= 0}
 * @param toRate requests per second at the stage's end, finite and {@code >= 0}
 */
public record RateStage(Duration duration, double toRate) {
    public RateStage {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a stage's duration must be >= 0s, got " + duration);
        }
        if (!Double.isFinite(toRate) || toRate < 0) {
            throw new IllegalArgumentException(
                    "a stage's target rate must be finite and >= 0 requests/s, got " + toRate);
        }
        String tooHigh = dev.llmharness.api.Limits.aboveMaxRate("a stage's target rate", toRate);
        if (tooHigh != null) {
            throw new IllegalArgumentException(tooHigh);
        }
    }
}
