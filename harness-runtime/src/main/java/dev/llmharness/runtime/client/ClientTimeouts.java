package dev.llmharness.runtime.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The client's timeouts; each {@code > 0}.
 *
 * @param connect opening a connection
 * @param firstToken from send to the first content event
 * @param idle between reads once content flows
 * @param total the whole request
 */
public record ClientTimeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
    public ClientTimeouts {
        for (Duration d : new Duration[] {
            Objects.requireNonNull(connect, "connect"),
            Objects.requireNonNull(firstToken, "firstToken"),
            Objects.requireNonNull(idle, "idle"),
            Objects.requireNonNull(total, "total")
        }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be > 0, got " + d);
            }
        }
    }

    /** The defaults of {@link ClientDefaults}. */
    public static ClientTimeouts defaults() {
        return new ClientTimeouts(
                ClientDefaults.CONNECT_TIMEOUT,
                ClientDefaults.FIRST_TOKEN_TIMEOUT,
                ClientDefaults.IDLE_TIMEOUT,
                ClientDefaults.TOTAL_TIMEOUT);
    }
}
