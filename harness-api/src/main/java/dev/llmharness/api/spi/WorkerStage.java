package dev.llmharness.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One stage of a closed loop's concurrency: the number of workers goes linearly from where the
 * previous stage ended to {@code toWorkers} over {@code duration} (0 jumps to it).
 *
 * @param duration {@code >= 0}
 * @param toWorkers workers at the stage's end, {@code >= 0} and at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 */
public record WorkerStage(Duration duration, int toWorkers) {
    public WorkerStage {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a stage's duration must be >= 0s, got " + duration);
        }
        if (toWorkers < 0) {
            throw new IllegalArgumentException("a stage's target concurrency must be >= 0 workers, got " + toWorkers);
        }
        String tooMany = dev.llmharness.api.Limits.aboveMaxConcurrency("a stage's target concurrency", toWorkers);
        if (tooMany != null) {
            throw new IllegalArgumentException(tooMany);
        }
    }
}
