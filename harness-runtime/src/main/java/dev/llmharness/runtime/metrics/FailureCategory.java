package dev.llmharness.runtime.metrics;

/**
 * Why a request failed. Every request sent ends as completed, failed with one of these, or
 * cancelled; the result counts each category separately.
 */
public enum FailureCategory {
    /** The server answered 4xx other than 429 (bad request, unauthorised, not found...). */
    HTTP_4XX("http_4xx"),
    /** The server answered 429 Too Many Requests; recorded, never retried. */
    HTTP_429("http_429"),
    /** The server answered 5xx. */
    HTTP_5XX("http_5xx"),
    /** A connect, first-token, idle-between-tokens or total timeout expired. */
    TIMEOUT("timeout"),
    /**
     * The connection could not be made, or broke (reset by the peer, broken pipe) before or during
     * the response.
     */
    CONNECTION("connection"),
    /**
     * The body ended cleanly (or the peer closed its side) before the answer was complete: neither
     * its terminator ({@code [DONE]} or the final NDJSON object) nor a {@code finish_reason} came.
     */
    STREAM_TRUNCATED("stream_truncated"),
    /**
     * An event could not be parsed or was an error object, or the answer was not a stream. Events
     * with neither {@code choices} nor {@code usage} (keep-alives) are ignored, not failures.
     */
    PROTOCOL("protocol"),
    /** The harness itself failed: the benchmark method threw, or a request could not be built. */
    CLIENT("client");

    private final String key;

    FailureCategory(String key) {
        this.key = key;
    }

    /** The name used in result files and CSV, e.g. {@code "http_429"}. */
    public String key() {
        return key;
    }

    /** The category of an HTTP status that is not 2xx. */
    public static FailureCategory ofStatus(int status) {
        if (status == 429) {
            return HTTP_429;
        }
        return status >= 500 ? HTTP_5XX : HTTP_4XX;
    }
}
