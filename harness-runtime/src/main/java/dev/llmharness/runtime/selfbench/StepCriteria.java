package dev.llmharness.runtime.selfbench;

import java.util.List;

/**
 * Judges a self-benchmark step: {@link StopCriteria} (the rising-steps method: when the harness
 * falls behind) or {@link PeerTargets} (the peers' method: the targets of docs/performance.md).
 */
public interface StepCriteria {
    /** Why the step misses, one phrase per broken criterion; empty when it meets every one. */
    List<String> problems(StepFigures figures);
}
