package dev.llmharness.runtime.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * One run: its environment, its target and its trials.
 *
 * @param schemaVersion version of this file format ({@link #SCHEMA_VERSION} when written)
 * @param run where and when the run happened
 * @param target the server measured
 * @param trials one entry per trial, in run order
 * @param partial {@code true} when the run was interrupted (Ctrl-C) and holds what was gathered
 * @param merge where a merged file came from ({@code llmh merge}), {@code null} for a file written
 *     by one run; absent from files written before merging existed, which read as {@code null}
 */
public record RunResult(
        int schemaVersion, RunInfo run, TargetInfo target, List<TrialResult> trials, boolean partial, MergeInfo merge) {
    /** The schema version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    @JsonCreator
    public RunResult {
        trials = List.copyOf(trials);
    }

    /** A result written by one run (not merged). */
    public RunResult(int schemaVersion, RunInfo run, TargetInfo target, List<TrialResult> trials, boolean partial) {
        this(schemaVersion, run, target, trials, partial, null);
    }
}
