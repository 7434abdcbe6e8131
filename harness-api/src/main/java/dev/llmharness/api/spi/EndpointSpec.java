package dev.llmharness.api.spi;

import dev.llmharness.api.Api;
import java.util.Objects;

/**
 * The server under test as the annotations describe it; run-time options override each part.
 *
 * @param api API spoken
 * @param url base URL, empty for "from run-time options, else the embedded simulator"
 * @param model model name, empty for "from run-time options, else the server's first"
 * @param apiKeyEnv environment variable holding the API key
 * @param stream whether requests are streamed ({@code true} unless {@code @Endpoint(stream =
 *     false)})
 */
public record EndpointSpec(Api api, String url, String model, String apiKeyEnv, boolean stream) {
    /** A streamed endpoint. */
    public EndpointSpec(Api api, String url, String model, String apiKeyEnv) {
        this(api, url, model, apiKeyEnv, true);
    }

    public EndpointSpec {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
        if (!url.isEmpty() && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException(
                    "url must start with http:// or https://, got \"" + url + "\"; e.g. http://127.0.0.1:8000");
        }
    }
}
