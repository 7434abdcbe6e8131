package dev.llmharness.runtime.client;

import java.time.Duration;

/**
 * Every default of the HTTP client, in one place (see {@code docs/metrics.md}). A request that
 * exceeds one of these fails with category {@code timeout}.
 */
public final class ClientDefaults {
    /** Time to open a TCP (and TLS) connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Time from sending a request to its first content event (covers queueing and prefill in the
     * server, which can be long for long prompts under load).
     */
    public static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofMinutes(5);

    /** Longest silence between two reads once content is flowing. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Longest a whole request may take, from send to end of stream. */
    public static final Duration TOTAL_TIMEOUT = Duration.ofMinutes(30);

    /** Time the readiness probe waits for {@code GET /v1/models}. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** How long the readiness probe waits for a server that answers 503 (still loading its model). */
    public static final Duration LOADING_WAIT = Duration.ofMinutes(2);

    /** Pause between probes while a server answers 503 (loading), ms. */
    public static final long LOADING_POLL_MILLIS = 500;

    /** Header that carries the request's trial-local index, for the simulator's ground truth. */
    public static final String REQUEST_ID_HEADER = "X-Llmh-Request-Id";

    private ClientDefaults() {}
}
