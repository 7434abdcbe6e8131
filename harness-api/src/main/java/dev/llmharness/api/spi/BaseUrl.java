package dev.llmharness.api.spi;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The one rule of a server's base URL, for the annotation processor ({@code @Endpoint(url)}, at
 * compile time) and the runtime ({@code --url}, {@code -Dllmh.url}, the gate's and the Maven
 * plugin's URLs, before any load) alike. Here, in the module both depend on, because the processor
 * must not depend on the runtime and the rule must not be written twice; JDK only, as all of this
 * module. Accepted: {@code http://} or {@code https://}, a host, an optional port of 1 to 65535,
 * an optional path; no blank inside (blanks around it are ignored, as for every setting).
 */
public final class BaseUrl {
    /** What a user should write, as messages show it. */
    public static final String EXAMPLE = "http://127.0.0.1:8000";

    private BaseUrl() {}

    /**
     * Why {@code text} is not a usable http(s) base URL, or {@code null} when it is (or is blank:
     * not given): a phrase without the value, e.g. {@code the port 99999 is outside 1 to 65535}.
     */
    public static String reason(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        for (int i = 0; i < t.length(); i++) {
            if (Character.isWhitespace(t.charAt(i))) {
                return "a URL has no blanks";
            }
        }
        int sep = t.indexOf("://");
        if (sep < 0) {
            return "it has no scheme: start it with http:// or https://";
        }
        // Lower case, as every client and the embedded simulator's URLs write it.
        String scheme = t.substring(0, sep);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "the scheme " + scheme + ":// is not supported: use http:// or https://";
        }
        String rest = t.substring(sep + 3);
        if (rest.isEmpty() || "/:?#".indexOf(rest.charAt(0)) >= 0) {
            return "it has no host";
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            return "it is not a URL (" + e.getReason() + " at character " + (e.getIndex() + 1) + ")";
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        // java.net.URI falls back to a registry authority (no host, no port) when the host or the
        // port does not parse: the port is then read here, and an unusual host (an underscore, as
        // in a container's my_server) is left to the client, which accepts it.
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.isEmpty() || hostPort.startsWith(":")) {
            return "it has no host";
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
            return portProblem(hostPort.substring(colon + 1));
        }
        return null;
    }

    private static String portProblem(String port) {
        if (port.isEmpty()) {
            return "the port is missing after ':'";
        }
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "the port " + port + " is not a number from 1 to 65535";
        }
        try {
            long n = Long.parseLong(port);
            if (n >= 1 && n <= 65_535) {
                return null;
            }
        } catch (NumberFormatException e) {
            // too many digits for a long: out of range all the same
        }
        return "the port " + port + " is outside 1 to 65535";
    }
}
