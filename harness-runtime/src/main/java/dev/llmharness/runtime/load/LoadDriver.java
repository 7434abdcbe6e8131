package dev.llmharness.runtime.load;

import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Issues a trial's requests to a {@link RequestRunner} as its load model says, until the {@link
 * Window} is done or {@link #stop()} is called. Requests run on the given executor's threads.
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
     * Waits until the driver has stopped issuing (window done or stopped), at most {@code
     * timeoutNanos}; true if it had.
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
     * The driver for a load model.
     *
     * @param trialStart {@code nanoTime} of schedule offset 0; a little in the future is fine
     * @param seed schedule seed (open loop)
     */
    static LoadDriver of(
            LoadModel model,
            long seed,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        if (model instanceof OpenLoopModel open) {
            return new OpenLoopDriver(
                    ArrivalSchedule.of(open, seed), 0, 1, open.maxInFlight(), trialStart, window, executor, runner);
        }
        ClosedLoopModel closed = (ClosedLoopModel) model;
        return new ClosedLoopDriver(closed.concurrency(), closed.thinkTime().toNanos(), window, executor, runner);
    }
}
