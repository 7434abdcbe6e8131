package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.settings.Choice;
import java.util.Locale;

/** Which gated verdicts make {@code llmh compare} exit with 1. */
public enum FailOn {
    /** A gated REGRESSION fails (the default). */
    REGRESSION,
    /**
     * A gated REGRESSION fails, and so does anything the gate could not judge: a gated metric that
     * could not be decided, and a base trial that no contender trial matches (a changed parameter
     * changes a trial's id). For gates that must prove there is no regression. A gated percentile
     * gated on a lower one was judged, on that one, and does not fail; nor does a trial only the
     * contender has, which has nothing to regress from.
     */
    INCONCLUSIVE,
    /** Never fail on verdicts (warn-only adoption); input errors and {@code --strict} still do. */
    NEVER;

    /** {@code --fail-on}: {@code regression} (the default), {@code inconclusive} or {@code never}. */
    public static final Choice<FailOn> SETTING =
            Choice.ofEnum(null, "--fail-on", values(), f -> f.name().toLowerCase(Locale.ROOT), REGRESSION);

    /**
     * Reads {@code regression}, {@code inconclusive} or {@code never}, in any case, as {@link
     * #SETTING} does.
     *
     * @throws IllegalArgumentException {@code invalid --fail-on x: use regression, inconclusive or never}
     */
    public static FailOn parse(String text) {
        return SETTING.parse(text);
    }
}
