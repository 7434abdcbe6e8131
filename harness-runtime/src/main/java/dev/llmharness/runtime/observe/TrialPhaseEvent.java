package dev.llmharness.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * One phase of a trial ({@code trial} for the whole of it, {@code warmup}, {@code measurement},
 * {@code drain}). The {@code trial} event spans the trial itself; the phases are committed at its
 * end with their start and length as fields.
 */
@Name(TrialPhaseEvent.NAME)
@Label("LLM Trial Phase")
@Category({"LLM Harness"})
@Description("A trial, or one of its phases")
@StackTrace(false)
final class TrialPhaseEvent extends Event {
    static final String NAME = "dev.llmharness.TrialPhase";

    @Label("Trial")
    String trial;

    @Label("Target")
    String target;

    @Label("Phase")
    String phase;

    @Label("Phase Start")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long phaseStart;

    @Label("Phase Length")
    @Timespan(Timespan.NANOSECONDS)
    long phaseLength;

    @Label("Requests Sent")
    long sent;
}
