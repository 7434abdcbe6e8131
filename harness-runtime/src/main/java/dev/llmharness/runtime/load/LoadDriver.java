package dev.llmharness.runtime.load;

import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Issues a trial's requests to a {@link RequestRunner} as its load model says, until the {@link
 * Window} is done, the load ends by itself, or {@link #stop()} is called. Requests run on the given
 * executor's threads.
 */
public interface LoadDriver {
    /**
     * How early the open loop hands a ticket to its sending thread, ns: enough to start a thread
     * (platform or virtual) and build a typical request (prompt, benchmark method, JSON body: 0.02
     * to 1 ms as measured by {@code llmh selfbench}) before the intended instant. Building longer
     * than this shows the excess as dispatch lag.
     */
    long PREPARE_LEAD_NANOS = 2_000_000L;

    /** Starts issuing on the driver's own thread(s); returns at once. */
    void start();

    /** Stops issuing new requests; requests already running are not touched. Idempotent. */
    void stop();

    /**
     * Waits until the driver has stopped issuing (window done, load ended, or stopped), at most
     * {@code timeoutNanos}; true if it had.
     */
    boolean awaitIssuingEnded(long timeoutNanos) throws InterruptedException;

    /**
     * Tickets issued so far: handed to a request thread or queued for an in-flight slot. Counted
     * before the hand-off, so that {@code issued - ended} is never low while a ticket is on its
     * way to a thread (the drain waits on it).
     */
    long issued();

    /** Tickets issued but never started (waiting for an in-flight slot at stop); removes them. */
    List<Ticket> abandoned();

    /**
     * The driver for a load model that replays no trace: {@link #of(LoadModel, ArrivalTrace, long,
     * long, Window, ExecutorService, RequestRunner)} without one.
     */
    static LoadDriver of(
            LoadModel model,
            long seed,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        return of(model, null, seed, trialStart, window, executor, runner);
    }

    /**
     * The driver of the whole load (shard 0 of 1): {@link #of(LoadModel, ArrivalTrace, Shard, long,
     * long, Window, ExecutorService, RequestRunner)}.
     */
    static LoadDriver of(
            LoadModel model,
            ArrivalTrace trace,
            long seed,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        return of(model, trace, Shard.WHOLE, seed, trialStart, window, executor, runner);
    }

    /**
     * The driver for a load model: the one place that maps each kind of model to its schedule or
     * worker plan, and takes a shard's part of it. It reads nothing: it is called after the trial's
     * start is fixed, when every arrival due during a read would go out late, so a trace comes to it
     * read.
     *
     * <p>Each kind of load shards the same way ({@link Shard}): an open loop (a rate, every shape,
     * a trace) walks the one global schedule and issues the arrivals whose index is {@code ≡ shard
     * (mod shards)} ({@link ScheduleCursor}); a closed loop (fixed, ramped or staged) builds the one
     * global worker plan and runs the workers whose number is {@code ≡ shard (mod shards)}.
     *
     * @param trace what a trace replay replays, read before the trial's start was fixed ({@code
     *     data.TraceReader}); {@code null} for any other load
     * @param shard the part of the load this driver issues; {@link Shard#WHOLE} for all of it
     * @param trialStart {@code nanoTime} of schedule offset 0; a little in the future is fine
     * @param seed schedule seed (open loop), stagger seed (fixed closed loop)
     * @throws IllegalArgumentException when a trace replay comes without its trace
     */
    static LoadDriver of(
            LoadModel model,
            ArrivalTrace trace,
            Shard shard,
            long seed,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        java.util.Objects.requireNonNull(shard, "shard");
        return model.accept(new LoadModel.Visitor<LoadDriver>() {
            @Override
            public LoadDriver open(OpenLoopModel m) {
                return openLoop(ArrivalSchedule.of(m, seed), m.maxInFlight());
            }

            @Override
            public LoadDriver shaped(ShapedLoadModel m) {
                return openLoop(ArrivalSchedule.of(m, seed), m.maxInFlight());
            }

            @Override
            public LoadDriver trace(TraceLoadModel m) {
                if (trace == null || !trace.source().equals(m.path())) {
                    throw new IllegalArgumentException("a replay of " + m.path() + " needs that trace read before"
                            + " the trial's start is fixed, got " + (trace == null ? "none" : trace.source()));
                }
                return openLoop(new TraceSchedule(trace, m.speedup()), m.maxInFlight());
            }

            @Override
            public LoadDriver closed(ClosedLoopModel m) {
                return closedLoop(
                        WorkerPlan.staggered(m.concurrency(), window.closedLoopStagger(), seed),
                        m.thinkTime().toNanos());
            }

            @Override
            public LoadDriver stagedClosed(StagedClosedLoopModel m) {
                return closedLoop(WorkerPlan.of(m), m.thinkTime().toNanos());
            }

            /**
             * A cap on requests in flight is the whole load's: each shard caps its part at its
             * share of it ({@link Shard#shareOf}), at least 1 (0 would be no cap), so that the
             * shards' caps add up to the trial's whenever it has at least one slot per shard.
             */
            private LoadDriver openLoop(ArrivalSchedule schedule, int maxInFlight) {
                int cap = maxInFlight > 0 ? (int) Math.max(1, shard.shareOf(maxInFlight)) : 0;
                return new OpenLoopDriver(
                        schedule, shard.index(), shard.count(), cap, trialStart, window, executor, runner);
            }

            private LoadDriver closedLoop(WorkerPlan plan, long thinkNanos) {
                return new ClosedLoopDriver(plan, shard, thinkNanos, trialStart, window, executor, runner);
            }
        });
    }
}
