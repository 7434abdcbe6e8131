package dev.llmharness.runtime.load;

/**
 * Runs one request from build to end of stream, on the calling thread (never the dispatch
 * thread), and returns when it has ended: completed, failed or cancelled. Must not throw; every
 * problem becomes a categorised failure in the request's record.
 */
@FunctionalInterface
public interface RequestRunner {
    void run(Ticket ticket);
}
