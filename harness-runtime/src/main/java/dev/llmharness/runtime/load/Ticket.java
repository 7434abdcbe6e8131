package dev.llmharness.runtime.load;

/**
 * One request the load model starts.
 *
 * @param index request index within the trial, {@code >= 0}; open loop: the schedule index
 * @param intendedStart {@code nanoTime} at which the request should start
 * @param measured whether {@code intendedStart} is inside the measurement window (else warmup)
 * @param delayed whether it waited for an in-flight slot (open loop with {@code maxInFlight})
 */
public record Ticket(long index, long intendedStart, boolean measured, boolean delayed) {
    Ticket asDelayed() {
        return new Ticket(index, intendedStart, measured, true);
    }
}
