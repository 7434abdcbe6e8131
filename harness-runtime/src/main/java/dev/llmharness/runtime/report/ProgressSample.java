package dev.llmharness.runtime.report;

import dev.llmharness.runtime.metrics.TrialRecorder;

/**
 * Progress of a running trial.
 *
 * @param trialId the trial's id (its declared parameters)
 * @param asRun how the trial runs after run-time overrides, e.g. {@code "open POISSON 10 req/s"}
 * @param phase the phase the trial is in
 * @param elapsedNanos since the trial started (warmup included), ns
 * @param leftNanos time left in the phase, ns, or {@code -1} when the phase counts requests
 * @param requestsLeft requests left to issue in a phase that counts them, or {@code -1} when it is
 *     timed
 * @param inFlight requests between start and end, warmup included
 * @param measured the measurement window so far
 */
public record ProgressSample(
        String trialId,
        String asRun,
        Phase phase,
        long elapsedNanos,
        long leftNanos,
        long requestsLeft,
        long inFlight,
        TrialRecorder.Snapshot measured) {

    /** Where a trial is. */
    public enum Phase {
        /** Requests are sent but not measured. */
        WARMUP,
        /** Requests that start now are measured. */
        MEASUREMENT,
        /** No new request; waiting for those in flight, up to the drain timeout. */
        DRAIN;

        /** The word on the console. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
