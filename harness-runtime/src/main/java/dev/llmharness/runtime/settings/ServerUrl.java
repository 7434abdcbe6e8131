package dev.llmharness.runtime.settings;

import dev.llmharness.api.spi.BaseUrl;

/**
 * The one check of a server URL a user gives ({@code --url}, {@code -Dllmh.url}, {@code --base-url},
 * {@code @Endpoint(url)}, the Maven plugin's {@code url}...), made before any load so that a typo is
 * one line of ours naming the option, the value and what to write, not an HTTP client's message
 * after the run has started. Accepted: {@code http://} or {@code https://}, a host, an optional
 * port of 1 to 65535, an optional path; no blank inside (blanks around it are ignored, as for every
 * setting).
 */
public final class ServerUrl {
    /** What a user should write, as messages show it. */
    public static final String EXAMPLE = BaseUrl.EXAMPLE;

    private ServerUrl() {}

    /**
     * Why {@code text} is not a usable server URL and what to write instead, or {@code null} when
     * it is usable (or blank: not given), e.g. {@code the port 99999 is outside 1 to 65535; write
     * the server's base URL, e.g. http://127.0.0.1:8000}.
     */
    public static String problem(String text) {
        String why = reason(text);
        return why == null ? null : why + "; write the server's base URL, e.g. " + EXAMPLE;
    }

    /**
     * Why {@code text} is not a usable http(s) URL, or {@code null} when it is (or is blank: not
     * given): a phrase without the value, e.g. {@code the port 99999 is outside 1 to 65535}. The
     * rule is {@link BaseUrl}'s, which the annotation processor applies to {@code @Endpoint(url)}.
     */
    public static String reason(String text) {
        return BaseUrl.reason(text);
    }

    /**
     * Checks {@code text}, the value of the setting {@code written} (as the user wrote it: {@code
     * --url}, {@code @Endpoint(url)} or {@code -Dllmh.url}); the line reads {@code invalid --url
     * http://h:99999: the port 99999 is outside 1 to 65535; write the server's base URL, e.g.
     * http://127.0.0.1:8000}.
     *
     * @return the URL without the blanks around it, or {@code null} when blank (not given)
     * @throws IllegalArgumentException one line naming the setting, the value and what to write
     */
    public static String check(String written, String text) {
        String why = problem(text);
        if (why != null) {
            String value = text.strip();
            throw new IllegalArgumentException(
                    "invalid " + (written.startsWith("-D") ? written + "=" : written + " ") + value + ": " + why);
        }
        return text == null || text.isBlank() ? null : text.strip();
    }
}
