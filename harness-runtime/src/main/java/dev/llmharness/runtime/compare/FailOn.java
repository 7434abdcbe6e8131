package dev.llmharness.runtime.compare;

import java.util.Locale;

/** Which gated verdicts make {@code llmh compare} exit with 1. */
public enum FailOn {
    /** A gated REGRESSION fails (the default). */
    REGRESSION,
    /** A gated REGRESSION or INCONCLUSIVE fails: for gates that must prove there is no regression. */
    INCONCLUSIVE,
    /** Never fail on verdicts (warn-only adoption); input errors and {@code --strict} still do. */
    NEVER;

    /** Reads {@code regression}, {@code inconclusive} or {@code never}, in any case. */
    public static FailOn parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown --fail-on value '" + text + "': use regression, inconclusive or never", e);
        }
    }
}
