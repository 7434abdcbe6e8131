package dev.llmharness.runtime.load;

/**
 * One request the load model starts.
 *
 * @param index request index within the trial, {@code >= 0}; open loop: the schedule index
 * @param intendedStart {@code nanoTime} at which the request should start
 * @param measured whether {@code intendedStart} is inside the measurement window (else warmup)
 * @param delayed whether it waited for an in-flight slot (open loop with {@code maxInFlight})
 * @param worker the closed-loop worker sending it, {@code 0 <= worker < concurrency}; {@code -1} in
 *     the open loop, which has no workers
 */
public record Ticket(long index, long intendedStart, boolean measured, boolean delayed, int worker) {
    /** A ticket of the open loop (no worker). */
    public Ticket(long index, long intendedStart, boolean measured, boolean delayed) {
        this(index, intendedStart, measured, delayed, -1);
    }

    /**
     * Waits until {@link #intendedStart()}. Returns at once when the instant has passed. The
     * open-loop driver hands a ticket over up to {@link LoadDriver#PREPARE_LEAD_NANOS} early so that
     * the request is built before its instant; the sender calls this between building and sending.
     * How it waits: {@link IntendedStartWait}.
     */
    public void awaitIntendedStart() {
        IntendedStartWait.until(intendedStart);
    }

    Ticket asDelayed() {
        return new Ticket(index, intendedStart, measured, true, worker);
    }
}
