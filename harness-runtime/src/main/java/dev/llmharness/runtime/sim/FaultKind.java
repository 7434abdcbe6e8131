package dev.llmharness.runtime.sim;

import java.util.Locale;

/**
 * The failures the simulator can inject, by their wire name (used in the {@code X-Llmh-Fault}
 * header, in {@code --fault KIND=RATE} and in ground-truth records). See {@code docs/simulator.md}
 * for what a client sees for each.
 */
public enum FaultKind {
    /** HTTP 500 with an OpenAI-style error body, before any token. */
    HTTP_500("http_500"),
    /** HTTP 503 with an OpenAI-style error body, before any token. */
    HTTP_503("http_503"),
    /** HTTP 429 with {@code Retry-After: <retry_after>} (seconds), before any token. */
    HTTP_429("http_429"),
    /** TCP reset (SO_LINGER 0, then close) after {@code after} tokens were written. */
    RESET("reset"),
    /** A pause of {@code ms} milliseconds after {@code after} tokens (0: before the first token). */
    STALL("stall"),
    /** One {@code data:} event that is not JSON, after {@code after} tokens; the stream goes on. */
    MALFORMED("malformed"),
    /** A clean end of the HTTP body after {@code after} tokens, without usage or {@code [DONE]}. */
    TRUNCATE("truncate"),
    /** A pause of {@code ms} milliseconds before the response headers. */
    SLOW_HEADERS("slow_headers"),
    /**
     * The whole answer with its {@code finish_reason} and usage, then a clean end of the body and
     * close without the stream's terminator ({@code data: [DONE]}), as some servers do.
     */
    NO_DONE("no_done"),
    /** One event {@code data: {}} (a keep-alive) after {@code after} tokens; the stream goes on. */
    EMPTY_EVENT("empty_event");

    private final String wireName;

    FaultKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire and in options, e.g. {@code "http_429"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The kind with this wire name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid kinds
     */
    public static FaultKind ofWireName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (FaultKind kind : values()) {
            if (kind.wireName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + name + "'; use one of " + names());
    }

    static String names() {
        StringBuilder out = new StringBuilder();
        for (FaultKind kind : values()) {
            out.append(out.length() == 0 ? "" : ", ").append(kind.wireName);
        }
        return out.toString();
    }
}
