package dev.llmharness.runtime.load;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs one request from build to end of stream, on the calling thread (never the dispatch
 * thread), and returns when it has ended: completed, failed or cancelled. Must not throw; every
 * problem becomes a categorised failure in the request's record. The open loop calls it up to
 * {@link LoadDriver#PREPARE_LEAD_NANOS} (2 ms) before the ticket's intended start: build the
 * request, then call {@link Ticket#awaitIntendedStart()}, then send.
 *
 * <p>A runner whose requests end without a thread of their own (an event-loop transport) says so
 * with {@link #asynchronous()}: the open loop then calls {@link #start} on its dispatch thread
 * instead of giving each request a thread that would only park until the end.
 */
@FunctionalInterface
public interface RequestRunner {
    void run(Ticket ticket);

    /**
     * Whether the next ticket may be {@link #start started} on the dispatch thread; asked per
     * ticket, so a runner may stop being asynchronous during a trial (never the other way round
     * matters: either path ends every request).
     */
    default boolean asynchronous() {
        return false;
    }

    /**
     * The one thread that sends this runner's requests when it is {@link #asynchronous()} (an event
     * loop), on which the open loop walks its schedule instead of on a dispatcher thread of its own:
     * each request is then built and handed over on the thread that sends it, with no thread woken
     * and no cross-thread hand-off per request. {@code null} (the default) when requests are sent on
     * their callers' threads. Tasks given to it must not block.
     */
    default ScheduledExecutorService dispatchLoop() {
        return null;
    }

    /**
     * Builds the request on the calling thread and hands it over for its intended start, returning
     * without waiting for its end; {@code ended} runs exactly once when the request has ended (on
     * whichever thread ended it, possibly this one before this returns). Must not throw or block
     * beyond the build. The default runs the request to its end here.
     */
    default void start(Ticket ticket, Runnable ended) {
        try {
            run(ticket);
        } finally {
            ended.run();
        }
    }
}
