package dev.llmharness.api;

/**
 * Every default of the harness, in one place. Annotation attributes refer to these constants, and
 * the runtime uses them when an annotation is absent.
 */
public final class Defaults {
    /** Warmup length when no {@link Warmup} applies. */
    public static final String WARMUP_DURATION = "5s";

    /** Measurement length when no {@link Measurement} applies. */
    public static final String MEASUREMENT_DURATION = "30s";

    /** Wait for in-flight requests after the measurement window before cancelling them. */
    public static final String DRAIN_TIMEOUT = "30s";

    /** Seed when no {@link Seed} applies. */
    public static final long SEED = 42L;

    /** Tokenizer encoding for prompt lengths and counts (bundled with jtokkit, no download). */
    public static final String ENCODING = "cl100k_base";

    /** Output tokens requested per dataset record unless taken from the reference answer. */
    public static final int DATASET_OUTPUT_TOKENS = 128;

    /** Environment variable read for the API key. */
    public static final String API_KEY_ENV = "LLMH_API_KEY";

    private Defaults() {}
}
