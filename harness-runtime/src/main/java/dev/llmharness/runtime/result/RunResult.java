package dev.llmharness.runtime.result;

import java.util.List;

/**
 * One run: its environment, its target and its trials.
 *
 * @param schemaVersion version of this file format ({@link #SCHEMA_VERSION} when written)
 * @param run where and when the run happened
 * @param target the server measured
 * @param trials one entry per trial, in run order
 * @param partial {@code true} when the run was interrupted (Ctrl-C) and holds what was gathered
 */
public record RunResult(int schemaVersion, RunInfo run, TargetInfo target, List<TrialResult> trials, boolean partial) {
    /** The schema version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    public RunResult {
        trials = List.copyOf(trials);
    }
}
