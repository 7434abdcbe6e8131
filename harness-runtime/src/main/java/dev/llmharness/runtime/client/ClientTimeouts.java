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

    /*
     * What a request that hit each timeout records as its failure's detail (category timeout). The
     * one wording of every transport: OkHttp and the event loop notice a timeout in different ways
     * (a socket's exception, Netty's connect timer, the stall watch), and a comparison of two runs
     * on different transports must see the same failure as the same message.
     */

    /** No connection within the connect timeout: {@code no connection within the connect timeout of PT2S}. */
    public static String connectExpired(Duration connect) {
        return "no connection within the connect timeout of " + connect;
    }

    /**
     * No content event within the first-token timeout of the send, whether or not the headers came:
     * {@code no content within the first-token timeout of PT30S}.
     */
    public static String firstTokenExpired(Duration firstToken) {
        return "no content within the first-token timeout of " + firstToken;
    }

    /**
     * Content flowed, then no data within the idle timeout: {@code no data within the idle timeout
     * of PT30S after 3 content events}.
     */
    public static String idleExpired(Duration idle, long contentEvents) {
        return "no data within the idle timeout of " + idle + " after " + contentEvents + " content events";
    }

    /** The whole request outlasted the total timeout: {@code no complete answer within the total timeout of PT5M}. */
    public static String totalExpired(Duration total) {
        return "no complete answer within the total timeout of " + total;
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
