package dev.llmharness.runtime.client;

/**
 * Receives one connection's responses from {@link Http1ResponseDecoder}, in this order per
 * response: {@link #onHead} once, {@link #onBody} for each run of body bytes as they arrive, then
 * {@link #onEnd} once the body has ended (never for a body cut short by the connection's close).
 * Called on the loop thread, synchronously from the decoder.
 */
interface ResponseSink {
    /** The status line and headers have arrived (interim 1xx answers are skipped). */
    void onHead(ResponseHead head);

    /**
     * Body bytes, the chunked framing removed. The array is the socket read's buffer or a copy
     * reused by the next read: read the bytes during the call, never keep the array.
     *
     * @param bytes holds the bytes
     * @param offset index of the first byte
     * @param length number of bytes, at least 1
     */
    void onBody(byte[] bytes, int offset, int length);

    /** The body has ended where its framing says (after any trailers). */
    void onEnd();
}
