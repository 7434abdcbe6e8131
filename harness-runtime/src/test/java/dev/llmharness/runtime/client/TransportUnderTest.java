package dev.llmharness.runtime.client;

import okhttp3.OkHttpClient;

/**
 * The transport a parameterised client test runs on: the threads transport over the test's own
 * OkHttp client, or a new event loop. Close it after the test.
 */
final class TransportUnderTest {
    private TransportUnderTest() {}

    static ClientTransport open(TransportKind kind, OkHttpClient http, ClientTimeouts timeouts) {
        return kind == TransportKind.THREADS
                ? new OkHttpTransport(http, timeouts, false)
                : new EventLoopTransport(timeouts);
    }

    /** The request with the simulator's fault header ({@code X-Llmh-Fault}), or as it is for {@code null}. */
    static PreparedRequest withFault(PreparedRequest r, String fault) {
        if (fault == null) {
            return r;
        }
        return new PreparedRequest(
                r.http().newBuilder().header("X-Llmh-Fault", fault).build(), r.body(), r.streamed());
    }
}
