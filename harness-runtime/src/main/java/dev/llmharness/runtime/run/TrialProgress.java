package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.load.LoadDriver;
import dev.llmharness.runtime.load.Window;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.report.ProgressSample;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * A running trial's phase and how far it has got, for whoever watches it from another thread: the
 * console's progress line, the observation's in-flight gauge. The
 * only place that decides which phase a trial is in from its window and its drain. Created once
 * the trial's window and recorder exist; safe to read from any thread at any time, and never on a
 * request's path.
 */
final class TrialProgress {
    private final TrialSpec spec;
    private final Window window;
    private final TrialRecorder recorder;
    /** {@code nanoTime} of the trial's start (its schedule's offset 0). */
    private final long startNanos;
    /** Requests ended so far, warmup and measured alike. */
    private final LongSupplier ended;
    /** The load's driver once made, else {@code null}: nothing in flight yet. */
    private volatile LoadDriver driver;
    /** {@code nanoTime} at which the drain gives up, once draining; {@link Long#MIN_VALUE} before. */
    private volatile long drainDeadline = Long.MIN_VALUE;

    /**
     * @param startNanos {@code nanoTime} of the trial's start
     * @param ended requests ended so far, warmup and measured alike
     */
    TrialProgress(TrialSpec spec, Window window, TrialRecorder recorder, long startNanos, LongSupplier ended) {
        this.spec = spec;
        this.window = window;
        this.recorder = recorder;
        this.startNanos = startNanos;
        this.ended = ended;
    }

    /** The load is driven by {@code driver} from now on: its issued requests are in flight until ended. */
    void driving(LoadDriver driver) {
        this.driver = driver;
    }

    /** The window has closed; the drain waits for requests in flight until {@code deadlineNanos} ({@code nanoTime}). */
    void draining(long deadlineNanos) {
        this.drainDeadline = deadlineNanos;
    }

    /** The phase now and the time left in it, without the recorder's snapshot: cheap enough to poll. */
    TrialRunner.PhaseNow phaseNow() {
        return phaseAt(System.nanoTime());
    }

    private TrialRunner.PhaseNow phaseAt(long now) {
        long drainUntil = drainDeadline;
        if (drainUntil != Long.MIN_VALUE) {
            return new TrialRunner.PhaseNow(ProgressSample.Phase.DRAIN, Math.max(0, drainUntil - now));
        }
        if (window.windowStart() != Long.MIN_VALUE
                || spec.warmup().isEmpty()
                || now - window.expectedWindowStart() >= 0 && !spec.warmup().countsRequests()) {
            return new TrialRunner.PhaseNow(
                    ProgressSample.Phase.MEASUREMENT,
                    window.timed() ? Math.max(0, window.expectedWindowStart() + window.durationNanos() - now) : -1);
        }
        return new TrialRunner.PhaseNow(
                ProgressSample.Phase.WARMUP,
                spec.warmup().countsRequests() ? -1 : Math.max(0, window.expectedWindowStart() - now));
    }

    /** The phase, the requests left and in flight, and the recorder's snapshot of the measured ones. */
    ProgressSample sample() {
        LoadDriver d = driver;
        long now = System.nanoTime();
        long inFlight = d == null ? 0 : Math.max(0, d.issued() - ended.getAsLong());
        TrialRecorder.Snapshot measured = recorder.snapshot();
        TrialRunner.PhaseNow p = phaseAt(now);
        long requestsLeft = -1;
        if (p.phase() == ProgressSample.Phase.MEASUREMENT && !window.timed()) {
            requestsLeft = Math.max(0, spec.measurement().requests() - measured.sent());
        } else if (p.phase() == ProgressSample.Phase.WARMUP && spec.warmup().countsRequests()) {
            requestsLeft = Math.max(0, spec.warmup().requests() - (d == null ? 0 : d.issued()));
        }
        return new ProgressSample(
                spec.id(), asRun(), p.phase(), now - startNanos, p.leftNanos(), requestsLeft, inFlight, measured);
    }

    /**
     * The load as run when it differs from what the trial id says: {@code --rate-scale} changes the
     * rate, the id keeps the declared one (so that results compare across scales).
     */
    private String asRun() {
        OptionalDouble rate = spec.load().fixedRate();
        if (rate.isEmpty()) {
            return "";
        }
        String declared = spec.params().get("rate");
        String run = TrialSpec.formatRate(rate.getAsDouble());
        return declared == null || declared.equals(run) ? "" : "at " + run + " req/s";
    }
}
