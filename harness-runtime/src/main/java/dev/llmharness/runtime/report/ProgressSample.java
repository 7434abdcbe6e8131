package dev.llmharness.runtime.report;

import dev.llmharness.runtime.metrics.TrialRecorder;

/**
 * Progress of a running trial.
 *
 * @param trialId the trial's id
 * @param elapsedNanos since the trial started (warmup included), ns
 * @param inFlight requests between start and end, warmup included
 * @param measured the measurement window so far
 */
public record ProgressSample(String trialId, long elapsedNanos, long inFlight, TrialRecorder.Snapshot measured) {}
