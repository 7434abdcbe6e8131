package dev.llmharness.runtime.load;

/**
 * Runs one request from build to end of stream, on the calling thread (never the dispatch
 * thread), and returns when it has ended: completed, failed or cancelled. Must not throw; every
 * problem becomes a categorised failure in the request's record. The open loop calls it up to
 * {@link LoadDriver#PREPARE_LEAD_NANOS} (2 ms) before the ticket's intended start: build the
 * request, then call {@link Ticket#awaitIntendedStart()}, then send.
 */
@FunctionalInterface
public interface RequestRunner {
    void run(Ticket ticket);
}
