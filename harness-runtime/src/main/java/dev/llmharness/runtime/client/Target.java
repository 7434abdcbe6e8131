package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * A resolved server under test.
 *
 * @param baseUrl base URL without a trailing {@code /v1}, e.g. {@code http://127.0.0.1:8000}
 * @param api API spoken
 * @param model model name sent in requests
 * @param apiKey bearer token, or {@code null}; never printed ({@link #toString()} hides it)
 * @param serverVersion what the server reported about itself ({@code Server} header), or {@code null}
 * @param simulated whether this is the embedded simulator
 * @param stream whether requests are streamed (the default); a non-streamed request's answer comes
 *     whole, and only its E2E is measured ({@code docs/engines.md})
 */
public record Target(
        String baseUrl, Api api, String model, String apiKey, String serverVersion, boolean simulated, boolean stream) {
    public Target {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(model, "model");
    }

    /** A target whose requests are streamed. */
    public Target(String baseUrl, Api api, String model, String apiKey, String serverVersion, boolean simulated) {
        this(baseUrl, api, model, apiKey, serverVersion, simulated, true);
    }

    /** This target with its requests streamed or not. */
    public Target withStream(boolean streamed) {
        return streamed == stream ? this : new Target(baseUrl, api, model, apiKey, serverVersion, simulated, streamed);
    }

    /** Strips a trailing {@code /} and {@code /v1}: users paste either form. */
    public static String normaliseBaseUrl(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/v1")) {
            u = u.substring(0, u.length() - 3);
        }
        return u;
    }

    /**
     * The base URL as it may be shown and stored: without user info (a {@code user:password@}
     * part) and without a query string, where keys are sometimes passed.
     */
    public String displayUrl() {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            return baseUrl;
        }
        return normaliseBaseUrl(parsed.newBuilder()
                .username("")
                .password("")
                .query(null)
                .build()
                .toString());
    }

    @Override
    public String toString() {
        return "Target[" + displayUrl() + ", " + api + ", model=" + model + (apiKey == null ? "" : ", apiKey=***")
                + (stream ? "" : ", not streamed") + "]";
    }
}
