package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Preopened;
import dev.llmharness.runtime.load.Window;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A trial's connections to its target: how many are opened before its load ({@code --preopen},
 * {@link Preopen}), sized before the first scheduled instant or, when nothing has measured yet how
 * long requests hold one, from the trial's own warmup requests while the warmup runs ({@link
 * #sizeFromWarmup}); and how many the trial's requests opened themselves. The only place that
 * tells the harness's connects from the requests'. Used from the trial's own thread only.
 */
final class TrialConnections {
    /** Warmup requests whose hold times size {@code --preopen auto} when nothing else has. */
    static final int SIZING_REQUESTS = 32;

    private final TrialSpec spec;
    private final LlmClient client;
    private final PrintStream log;
    /** How long this trial's warmup requests held their connection, as they end. */
    private final HoldTimes warmupHolds;

    /** Whether and how many connections are opened before the load ({@code --preopen}). */
    private Preopen preopen = Preopen.fromProperty();
    /** How long requests held their connection against this target before this trial, or {@code null}. */
    private Preopen.Measured earlierHoldTimes;
    /** Requests the server says it serves at once, bounding {@code --preopen auto}. */
    private OptionalInt serverSlots = OptionalInt.empty();
    /** What pre-opening did, for the result. */
    private Preopened preopened = Preopened.NONE;
    /** Why {@link #preopened} wanted as many as it did, for the result. */
    private String preopenBasis;
    /** Whether the connections are still to be sized from the warmup's requests (auto). */
    private volatile boolean sizingFromWarmup;
    /** Whether the warmup's first requests have been forgotten ({@link #sizeFromWarmup}). */
    private boolean warmupStartForgotten;
    /** The transport's connects once pre-opened: the trial's requests made those after it. */
    private long connectsBefore;

    /**
     * @param log where a failed pre-open is said (stderr in the CLI)
     * @param warmupHolds how long the trial's warmup requests held their connection, recorded as they end
     */
    TrialConnections(TrialSpec spec, LlmClient client, PrintStream log, HoldTimes warmupHolds) {
        this.spec = spec;
        this.client = client;
        this.log = log;
        this.warmupHolds = warmupHolds;
    }

    /** Sets how many connections are opened before the load; default: {@link Preopen#fromProperty()}. */
    void preopen(Preopen setting) {
        this.preopen = Objects.requireNonNull(setting, "setting");
    }

    /**
     * Sets what the run knows for sizing {@code --preopen auto} ({@link Preopen#size}).
     *
     * @param earlier how long requests of the same benchmark held their connection against this
     *     target in an earlier trial of the run, or {@code null}
     * @param slots requests the server says it serves at once, or empty
     */
    void knowing(Preopen.Measured earlier, OptionalInt slots) {
        this.earlierHoldTimes = earlier;
        this.serverSlots = Objects.requireNonNull(slots, "slots");
    }

    /**
     * Opens the connections for the load's peak before its first instant, so that a jump finds them
     * idle; when nothing has measured how long requests take and the trial has a warmup, none yet:
     * {@link #sizeFromWarmup} opens them once the warmup's requests have.
     */
    void openBeforeLoad() throws InterruptedException {
        sizingFromWarmup = preopen.sizedByDuration(spec.load())
                && earlierHoldTimes == null
                && !spec.warmup().isEmpty();
        Preopen.Sizing sizing = sizingFromWarmup
                ? new Preopen.Sizing(0, "sized once warmup requests have ended")
                : preopen.size(spec.load(), earlierHoldTimes, serverSlots);
        preopened = Preopen.open(sizing, client, log);
        preopenBasis = sizing.basis();
        connectsBefore = client.transport().connects();
    }

    /** Whether the connections are still to be sized from the warmup ({@link #sizeFromWarmup}). */
    boolean sizing() {
        return sizingFromWarmup;
    }

    /**
     * Once enough warmup requests have ended, opens the connections their hold times ask for
     * ({@link Preopen#size}), while the warmup still runs; called every 50 ms or so while the load
     * is issued, a no-op unless sizing waits for the warmup. The warmup's first part is forgotten:
     * its requests are slow while both JVMs compile (a p99 of 650 ms for requests of 40 ms, on the
     * simulator). A timed warmup forgets its first half, then sizes after {@value #SIZING_REQUESTS}
     * more requests, or at three quarters of it with at least one, or at seven eighths with none
     * ({@link Preopen#ASSUMED}); a counted one of {@code n} requests forgets its first {@code n/4}
     * (none below 8) and sizes after {@code n/4} more (at least 1, at most {@value
     * #SIZING_REQUESTS}). Never inside the window: a warmup that ends first leaves the load's
     * requests to connect as they go.
     *
     * @param trialStart {@code nanoTime} of the trial's start
     */
    void sizeFromWarmup(Window window, long trialStart) throws InterruptedException {
        if (!sizingFromWarmup) {
            return;
        }
        long now = System.nanoTime();
        boolean counted = spec.warmup().countsRequests();
        boolean inWarmup = counted ? window.windowStart() == Long.MIN_VALUE : now - window.expectedWindowStart() < 0;
        long ended = warmupHolds.count();
        if (!inWarmup) {
            sizingFromWarmup = false;
            preopenBasis =
                    "none: the warmup ended before " + (ended == 0 ? "any of its requests" : "enough of them") + " did";
            return;
        }
        long elapsed = now - trialStart;
        long warmupNanos = counted ? 0 : spec.warmup().duration().toNanos();
        long quarter = counted && spec.warmup().requests() >= 8 ? spec.warmup().requests() / 4 : 0;
        if (!warmupStartForgotten) {
            if (counted ? ended < quarter : elapsed < warmupNanos / 2) {
                return;
            }
            warmupHolds.reset();
            warmupStartForgotten = true;
            ended = 0;
        }
        boolean ready = counted
                ? ended >= Math.min(SIZING_REQUESTS, Math.max(1, spec.warmup().requests() / 4))
                : ended >= SIZING_REQUESTS
                        || ended >= 1 && elapsed >= warmupNanos / 4 * 3
                        || elapsed >= warmupNanos / 8 * 7;
        if (!ready) {
            return;
        }
        sizingFromWarmup = false;
        Preopen.Sizing sizing = preopen.size(spec.load(), warmupHolds.measured("warmup requests"), serverSlots);
        long connectsBeforeTopUp = client.transport().connects();
        Preopened more = Preopen.open(sizing, client, log);
        // What the top-up opened is not the requests' doing (theirs in the meantime are few: the
        // warmup's start rate over a fraction of a second).
        connectsBefore += Math.min(more.opened(), client.transport().connects() - connectsBeforeTopUp);
        preopened = more;
        preopenBasis = sizing.basis();
    }

    /** For the result, once the trial's requests have ended: what was pre-opened, and what they opened. */
    TrialResult.Connections result() {
        return new TrialResult.Connections(
                preopened.wanted(),
                preopened.opened(),
                preopened.failed(),
                client.transport().connects() - connectsBefore,
                preopenBasis);
    }
}
