package dev.llmharness.runtime.sim;

import java.util.Locale;

/**
 * One fault applied to one request: its kind and parameters. Written (and parsed from the {@code
 * X-Llmh-Fault} header) as {@code <kind>[;param=value]...}, e.g. {@code stall;after=0;ms=2000}.
 *
 * @param kind what goes wrong
 * @param after tokens written before the fault strikes ({@code reset}, {@code stall}, {@code
 *     malformed}, {@code truncate}, {@code empty_event}); 0 or more
 * @param millis pause in milliseconds ({@code stall}, {@code slow_headers}); 0 or more
 * @param retryAfterSeconds the {@code Retry-After} value of {@code http_429}; 0 or more
 */
record Fault(FaultKind kind, int after, long millis, int retryAfterSeconds) {
    static final int DEFAULT_AFTER = 1;
    static final long DEFAULT_MILLIS = 1000;
    static final int DEFAULT_RETRY_AFTER = 1;

    /** The fault of this kind with the default parameters. */
    static Fault of(FaultKind kind) {
        return new Fault(kind, DEFAULT_AFTER, DEFAULT_MILLIS, DEFAULT_RETRY_AFTER);
    }

    /**
     * Parses a header value; {@code none} gives {@code null} (no fault, even when the run has fault
     * rates).
     *
     * @throws IllegalArgumentException naming the problem and the syntax
     */
    static Fault parse(String header) {
        String[] parts = header.split(";");
        if (parts[0].strip().equalsIgnoreCase("none") && parts.length == 1) {
            return null;
        }
        FaultKind kind;
        try {
            kind = FaultKind.ofWireName(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " or none; syntax: "
                    + "<kind>[;after=N][;ms=N][;retry_after=N], e.g. stall;after=3;ms=500");
        }
        int after = DEFAULT_AFTER;
        long millis = DEFAULT_MILLIS;
        int retryAfter = DEFAULT_RETRY_AFTER;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "fault parameter '" + part + "' has no value; write name=value, e.g. after=3");
            }
            String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            long value = nonNegative(name, part.substring(eq + 1).strip());
            switch (name) {
                case "after" -> after = (int) Math.min(Integer.MAX_VALUE, value);
                case "ms" -> millis = value;
                case "retry_after" -> retryAfter = (int) Math.min(Integer.MAX_VALUE, value);
                default ->
                    throw new IllegalArgumentException(
                            "unknown fault parameter '" + name + "'; use after, ms or retry_after");
            }
        }
        return new Fault(kind, after, millis, retryAfter);
    }

    private static long nonNegative(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as a negative value
        }
        throw new IllegalArgumentException("fault parameter " + name + "='" + text + "' must be a whole number >= 0");
    }

    /** The header form, listing only the parameters this kind uses. */
    @Override
    public String toString() {
        return switch (kind) {
            case HTTP_500, HTTP_503, NO_DONE -> kind.wireName();
            case HTTP_429 -> kind.wireName() + ";retry_after=" + retryAfterSeconds;
            case RESET, MALFORMED, TRUNCATE, EMPTY_EVENT -> kind.wireName() + ";after=" + after;
            case STALL -> kind.wireName() + ";after=" + after + ";ms=" + millis;
            case SLOW_HEADERS -> kind.wireName() + ";ms=" + millis;
        };
    }
}
