package dev.llmharness.runtime.client;

/**
 * What the event loop needs of an HTTP/1.1 response's status line and headers: the status, the
 * content type, how the body is framed and whether the connection may carry another request.
 * Other headers are not kept here; {@link Http1ResponseDecoder#header(String)} looks one up on
 * demand (only non-streamed answers ask, for the timing headers some servers add).
 *
 * @param status the status code, 100 to 999
 * @param reason the reason phrase, possibly empty (HTTP/1.1 made it optional)
 * @param contentType the first {@code Content-Type} header's value, or {@code null} without one
 * @param framing how the body's end is found
 * @param contentLength the body's length in bytes for {@link Framing#LENGTH}, else -1
 * @param reusable whether the connection may be reused once the body has been read to its end:
 *     HTTP/1.1, no {@code Connection: close}, and a body whose end is known without the close
 */
record ResponseHead(
        int status, String reason, String contentType, Framing framing, long contentLength, boolean reusable) {

    /** How a response body's end is found (RFC 9112 §6.3, for a client that never sends HEAD). */
    enum Framing {
        /** No body: 1xx, 204 and 304 answers, whatever their headers say. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}: chunks up to a zero-size one and its trailers. */
        CHUNKED,
        /** Neither: the body runs until the server closes the connection. */
        CLOSE
    }

    /** Whether this is an interim answer (1xx other than 101) that a final one follows. */
    boolean interim() {
        return status >= 100 && status < 200 && status != 101;
    }
}
