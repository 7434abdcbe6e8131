package dev.llmharness.runtime.selfbench;

import java.util.List;

/**
 * A series of rising steps of one load kind against one simulator setup, ended at the first step
 * that was not clean (or after the last step).
 *
 * @param preset simulator setup
 * @param load {@code open} or {@code closed}
 * @param steps the steps run, in order; only the last may be unclean
 * @param highestClean the level of the highest clean step (requests/s or concurrency), or {@code
 *     null} when the first step already fell behind
 * @param fellBehind whether a step fell behind (the last one); later levels were not run
 */
public record SeriesResult(
        String preset, String load, List<StepResult> steps, Double highestClean, boolean fellBehind) {
    public SeriesResult {
        steps = List.copyOf(steps);
    }
}
