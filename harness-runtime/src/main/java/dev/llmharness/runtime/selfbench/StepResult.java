package dev.llmharness.runtime.selfbench;

import java.util.List;

/**
 * One step and its verdict.
 *
 * @param figures what was measured
 * @param problems why it is not clean ({@link StopCriteria#problems}); empty when clean
 */
public record StepResult(StepFigures figures, List<String> problems) {
    public StepResult {
        problems = List.copyOf(problems);
    }

    /** Whether the harness kept up in this step. */
    public boolean clean() {
        return problems.isEmpty();
    }
}
