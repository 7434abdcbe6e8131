package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The server under test. Every attribute is a default that run-time options override ({@code
 * -Dllmh.url}, {@code -Dllmh.model}, {@code -Dllmh.apiKeyEnv}); without a URL anywhere, the runtime
 * starts the embedded simulator.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Endpoint {
    /** API spoken. Default {@link Api#OPENAI_CHAT}. */
    Api api() default Api.OPENAI_CHAT;

    /**
     * Base URL, e.g. {@code http://127.0.0.1:8000} (the API path is appended); empty (the default)
     * means "from {@code -Dllmh.url}, else the embedded simulator". Must be an http or https URL
     * with a host, without a query and without the API path (such as {@code /v1/chat/completions}),
     * which the harness appends.
     */
    String url() default "";

    /**
     * Model name sent in requests, without spaces around it; empty means "from {@code -Dllmh.model},
     * else the server's first".
     */
    String model() default "";

    /**
     * Environment variable holding the API key, sent as a bearer token and never written to results
     * or logs: a variable name (letters, digits and {@code _}, not starting with a digit), never the
     * key itself. Default {@link Defaults#API_KEY_ENV}; an unset variable means no key.
     */
    String apiKeyEnv() default Defaults.API_KEY_ENV;

    /**
     * Whether requests are streamed (the default). A non-streamed request ({@code false}) gets its
     * answer whole, so only its E2E is measured: no TTFT, ITL or TPOT. The server's own figures
     * and token counts are recorded as for a stream. Overridden by {@code -Dllmh.stream}.
     */
    boolean stream() default true;
}
