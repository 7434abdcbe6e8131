package dev.llmharness.runtime.observe;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One request, committed as it ends; its timings are fields (JFR's own duration is not set). */
@Name(RequestEvent.NAME)
@Label("LLM Request")
@Category({"LLM Harness"})
@Description("One request of a trial, committed when it ended")
@StackTrace(false)
final class RequestEvent extends Event {
    static final String NAME = "dev.llmharness.Request";

    @Label("Trial")
    String trial;

    @Label("Target")
    String target;

    @Label("Measured")
    @Description("Inside the measurement window (false: warmup)")
    boolean measured;

    @Label("TTFT")
    @Timespan(Timespan.NANOSECONDS)
    long ttft;

    @Label("E2E")
    @Timespan(Timespan.NANOSECONDS)
    long e2e;

    @Label("Input Tokens")
    @DataAmount("tokens")
    long inputTokens;

    @Label("Output Tokens")
    @DataAmount("tokens")
    long outputTokens;

    @Label("Outcome")
    String outcome;

    @Label("Failure Category")
    String failureCategory;
}
