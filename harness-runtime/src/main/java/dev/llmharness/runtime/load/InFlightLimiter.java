package dev.llmharness.runtime.load;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The optional open-loop cap on requests in flight. When the cap is reached a ticket waits in a
 * queue (never blocking the dispatcher) and starts, marked delayed, as soon as a request ends;
 * its wait shows in its dispatch lag and TTFT because its intended start does not move.
 */
final class InFlightLimiter {
    private final int max;
    private final Consumer<Ticket> start;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param max cap, {@code >= 1}
     * @param start starts a ticket without blocking (hands it to a sending thread)
     */
    InFlightLimiter(int max, Consumer<Ticket> start) {
        this.max = max;
        this.start = start;
    }

    /** Starts the ticket now, or queues it when the cap is reached. */
    void submit(Ticket ticket) {
        synchronized (this) {
            if (inFlight >= max) {
                waiting.addLast(ticket.asDelayed());
                return;
            }
            inFlight++;
        }
        start.accept(ticket);
    }

    /** Called when a request ends: starts the oldest waiting ticket, if any. */
    void release() {
        Ticket next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        start.accept(next);
    }

    /**
     * Called when a request ends, for a caller that starts the next ticket itself (without
     * recursion): the oldest waiting ticket, whose slot the ended request hands on, or {@code null}
     * when none waits (the slot is freed).
     */
    synchronized Ticket releaseAndTake() {
        Ticket next = waiting.pollFirst();
        if (next == null) {
            inFlight--;
        }
        return next;
    }

    /** Removes and returns the tickets still waiting (at stop: they never started). */
    synchronized java.util.List<Ticket> drainWaiting() {
        java.util.List<Ticket> out = new java.util.ArrayList<>(waiting);
        waiting.clear();
        return out;
    }
}
