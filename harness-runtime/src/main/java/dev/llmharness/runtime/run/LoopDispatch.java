package dev.llmharness.runtime.run;

import dev.llmharness.runtime.settings.Choice;
import java.util.Locale;

/**
 * Where the open loop walks its schedule on the event-loop transport ({@value
 * TrialRunner#LOOP_DISPATCH_PROPERTY}, an experiment with no option of its own): see {@link
 * TrialRunner#LOOP_DISPATCH_PROPERTY}.
 */
public enum LoopDispatch {
    /** A dispatcher thread builds each request 2 ms ahead and hands it to the loop: the default. */
    THREAD,
    /** The loop itself, with no dispatcher thread. */
    LOOP;

    /** The setting: {@code thread} or {@code loop}, {@code thread} when not set. */
    public static final Choice<LoopDispatch> SETTING =
            Choice.ofEnum(TrialRunner.LOOP_DISPATCH_PROPERTY, null, values(), LoopDispatch::label, THREAD);

    /** As the property is written. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
