package dev.llmharness.runtime.client;

import java.util.Objects;
import okhttp3.Request;

/**
 * A request built ahead of its instant, ready for either transport: the OkHttp request (URL,
 * headers, body) and the body's bytes, which the event-loop transport writes itself.
 *
 * @param http the request as OkHttp sends it; its URL and headers are what the event loop sends
 * @param body the JSON body, the same bytes as {@code http}'s body
 * @param streamed whether the answer is a stream of events (else one whole JSON answer)
 */
public record PreparedRequest(Request http, byte[] body, boolean streamed) {
    public PreparedRequest {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(body, "body");
    }
}
