package dev.llmharness.processor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is wrong with an {@code @Endpoint} text attribute, found at compile time rather than when
 * the first request fails: a URL with the API path that the runtime appends already in it, or a
 * query, an API key variable that is not a variable name. Whether a URL is usable at all (scheme,
 * host, port, blanks) is {@link dev.llmharness.api.spi.BaseUrl}'s rule, checked before these.
 */
final class EndpointText {
    /**
     * The request paths the runtime appends to the base URL, one per {@code Api} (longest first,
     * so that {@code /generate_stream} is named rather than {@code /generate}).
     */
    private static final List<String> API_PATHS = List.of(
            "/v1/chat/completions",
            "/v1/completions",
            "/generate_stream",
            "/api/generate",
            "/api/chat",
            "/completion",
            "/generate");

    /** A portable environment variable name (POSIX: letters, digits, underscore, no leading digit). */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EndpointText() {}

    /**
     * Why {@code url}, which {@link dev.llmharness.api.spi.BaseUrl} accepts, is not a base URL to
     * declare, with the form to write, or {@code null} when it is one.
     */
    static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            // BaseUrl has parsed it already; nothing more to say here.
            return null;
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String api : API_PATHS) {
            if (trimmed.endsWith(api)) {
                String base = uri.getScheme() + "://" + uri.getRawAuthority()
                        + trimmed.substring(0, trimmed.length() - api.length());
                return "\"" + url + "\" ends with the API path " + api + ", which the harness appends itself (it"
                        + " follows @Endpoint(api)): write the base URL \"" + base + "\"";
            }
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "\"" + url + "\" has a query or fragment, which a base URL cannot keep (the API path is"
                    + " appended to it): remove everything from ? or #";
        }
        return null;
    }

    /**
     * Why {@code model} would not name the server's model: spaces around it are sent as part of the
     * name, which no server has; {@code null} when it is fine (empty means the server's first).
     */
    static String modelProblem(String model) {
        if (model.equals(model.strip())) {
            return null;
        }
        return "\"" + model + "\" has spaces around it, which the server would take as part of the model's name:"
                + " write \"" + model.strip() + "\"";
    }

    /**
     * Why {@code name} is not the name of an environment variable, without repeating it (it may be
     * the key itself), or {@code null} when it is one.
     */
    static String variableProblem(String name) {
        if (VARIABLE.matcher(name).matches()) {
            return null;
        }
        String bare = name.strip().replaceAll("^\\$\\{?|}$", "").replaceAll("^%|%$", "");
        if (!bare.equals(name) && VARIABLE.matcher(bare).matches()) {
            return "\"" + name + "\" is a shell reference to the variable, not its name: write apiKeyEnv = \"" + bare
                    + "\"";
        }
        return "is not an environment variable name (letters, digits and _, not starting with a digit): name the"
                + " variable that holds the API key, e.g. apiKeyEnv = \"OPENAI_API_KEY\", and never write the key"
                + " itself in source";
    }
}
