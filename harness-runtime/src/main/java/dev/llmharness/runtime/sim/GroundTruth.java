package dev.llmharness.runtime.sim;

import java.util.List;

/**
 * What the simulator knows about one request it answered: the truth that the harness's own
 * measurements are checked against. All times are {@code System.nanoTime()} values of the server
 * JVM; on Linux that clock is {@code CLOCK_MONOTONIC}, shared by every process on the host, so
 * they compare directly with a client JVM's {@code System.nanoTime()} on the same host (not across
 * hosts, and not on systems whose JVM uses another clock).
 *
 * @param requestId the {@code X-Llmh-Request-Id} header, or null when absent
 * @param responseId the {@code id} field of the response (e.g. {@code chatcmpl-...}), or null for
 *     errors answered before generation
 * @param endpoint {@code chat}, {@code completions}, or a native endpoint ({@code llamacpp_completion},
 *     {@code tgi_generate_stream}, {@code tgi_generate}, {@code ollama_generate}, {@code ollama_chat})
 * @param stream whether the response was streamed (SSE)
 * @param status HTTP status sent (200, 400, 404, 429, 500, 503...), 0 when none was sent
 * @param outcome {@code completed}, {@code rejected} (an error status), {@code reset}, {@code
 *     truncated}, {@code malformed} (a non-streamed body that is not JSON) or {@code client_closed}
 *     (the client went away first)
 * @param fault the fault applied in header syntax (e.g. {@code stall;after=0;ms=1000}), or null
 * @param receivedNanos when the full request had been read
 * @param firstTokenNanos the first element of {@code tokenNanos}, or null when no token was
 *     written
 * @param tokenNanos one time per content token: streaming, when its chunk was handed to the socket
 *     (taken just before the flush that writes it, so a client never reads a token before its
 *     time); non-streaming, when the engine produced it
 * @param endNanos when the end of the response was handed to the socket (just before the final
 *     flush, so that a client that has read the end finds the record), or when the connection
 *     closed
 * @param promptTokens prompt tokens counted (0 when the request was rejected before counting)
 * @param outputTokens content tokens written (streaming) or produced (non-streaming)
 * @param finishReason {@code stop}, {@code length}, or null when generation did not finish
 */
public record GroundTruth(
        String requestId,
        String responseId,
        String endpoint,
        boolean stream,
        int status,
        String outcome,
        String fault,
        long receivedNanos,
        Long firstTokenNanos,
        List<Long> tokenNanos,
        long endNanos,
        int promptTokens,
        int outputTokens,
        String finishReason) {

    public GroundTruth {
        tokenNanos = List.copyOf(tokenNanos);
    }

    /** Time to first token from receipt in nanoseconds, or null without a token. */
    public Long ttftNanos() {
        return firstTokenNanos == null ? null : firstTokenNanos - receivedNanos;
    }
}
