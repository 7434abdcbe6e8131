package dev.llmharness.runtime.observe;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.result.TrialResult;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * JFR events of a trial: one {@link RequestEvent} per request and one {@link TrialPhaseEvent} per
 * phase. They cost nothing but a flag test while no recording enables them (start one with {@code
 * -XX:StartFlightRecording} or {@code jcmd <pid> JFR.start}); JDK Mission Control then shows the
 * requests beside GC and threads.
 */
public final class JfrEvents {
    private JfrEvents() {}

    /** The listener that commits a request event per request of {@code trial}. */
    public static Consumer<RequestTiming> requests(String trial, String target) {
        return t -> {
            // Without a recording that enables it, this is a flag test (the JIT removes the
            // allocation); looking the event type up instead would start JFR's machinery.
            RequestEvent e = new RequestEvent();
            if (e.isEnabled()) {
                commit(e, trial, target, t);
            }
        };
    }

    private static void commit(RequestEvent e, String trial, String target, RequestTiming t) {
        e.trial = trial;
        e.target = target;
        e.measured = t.measured();
        long sent = t.isSent() ? t.sent() : t.intendedStart();
        e.ttft = t.hasFirstToken() ? t.firstToken() - sent : -1;
        e.e2e = t.end() - sent;
        e.inputTokens = t.inputTokens();
        e.outputTokens = t.outputTokens();
        e.outcome = t.outcome() == null ? null : t.outcome().name().toLowerCase(java.util.Locale.ROOT);
        FailureCategory f = t.failure();
        e.failureCategory = f == null ? null : f.key();
        e.commit();
    }

    /** A trial's span: {@link #endTrial} commits it. */
    public static Object beginTrial() {
        TrialPhaseEvent e = new TrialPhaseEvent();
        e.begin();
        return e;
    }

    /** Commits the trial's span and one event per phase, from what the result records. */
    public static void endTrial(Object begun, String target, TrialResult result) {
        TrialPhaseEvent trial = (TrialPhaseEvent) begun;
        trial.end();
        if (!trial.shouldCommit()) {
            return;
        }
        TrialResult.WindowInfo w = result.window();
        Instant windowStart = Instant.parse(w.startTime());
        long warmupNanos = Math.round(w.warmupSeconds() * 1e9);
        long measuredNanos = Math.round(w.measurementSeconds() * 1e9);
        long drainNanos = Math.round(w.drainSeconds() * 1e9);
        Instant warmupStart = windowStart.minusNanos(warmupNanos);
        trial.trial = result.id();
        trial.target = target;
        trial.phase = "trial";
        trial.phaseStart = warmupStart.toEpochMilli();
        trial.phaseLength = warmupNanos + measuredNanos + drainNanos;
        trial.sent = result.counts().sent();
        trial.commit();
        phase(result.id(), target, "warmup", warmupStart, warmupNanos, -1);
        phase(
                result.id(),
                target,
                "measurement",
                windowStart,
                measuredNanos,
                result.counts().sent());
        phase(result.id(), target, "drain", windowStart.plusNanos(measuredNanos), drainNanos, -1);
    }

    private static void phase(String trialId, String target, String name, Instant start, long nanos, long sent) {
        TrialPhaseEvent e = new TrialPhaseEvent();
        e.trial = trialId;
        e.target = target;
        e.phase = name;
        e.phaseStart = start.toEpochMilli();
        e.phaseLength = nanos;
        e.sent = sent;
        e.commit();
    }
}
