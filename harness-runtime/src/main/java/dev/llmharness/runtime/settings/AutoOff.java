package dev.llmharness.runtime.settings;

import java.util.Locale;

/**
 * The value of a setting that the harness applies by itself unless the user opts out: {@code
 * --cpu-split} and {@code --jvm-warmup}. One type, so that both read and print their values alike.
 */
public enum AutoOff {
    /** The harness decides (the default of every such setting). */
    AUTO,
    /** Opted out. */
    OFF;

    /** As the option is written: {@code auto} or {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The setting of {@code property} and {@code option}: {@code auto} or {@code off}, {@code auto}
     * when not set.
     */
    public static Choice<AutoOff> choice(String property, String option) {
        return Choice.ofEnum(property, option, values(), AutoOff::label, AUTO);
    }

    @Override
    public String toString() {
        return label();
    }
}
