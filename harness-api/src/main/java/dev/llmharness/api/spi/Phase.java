package dev.llmharness.api.spi;

import java.time.Duration;

/**
 * A warmup phase or measurement window, bounded by time or by a request count.
 *
 * @param duration length of the phase, {@code >= 0}; ignored when {@code requests > 0}
 * @param requests number of requests to start, {@code >= 0}; {@code 0} means bounded by duration
 */
public record Phase(Duration duration, long requests) {
    /** No phase at all (no warmup). */
    public static final Phase NONE = new Phase(Duration.ZERO, 0);

    public Phase {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, got " + duration);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, got " + requests);
        }
    }

    public static Phase ofDuration(Duration duration) {
        return new Phase(duration, 0);
    }

    public static Phase ofRequests(long requests) {
        return new Phase(Duration.ZERO, requests);
    }

    /** Whether the phase is bounded by a request count rather than by time. */
    public boolean countsRequests() {
        return requests > 0;
    }

    /** Whether the phase starts no request at all. */
    public boolean isEmpty() {
        return requests == 0 && duration.isZero();
    }
}
