package dev.llmharness.runtime.result;

import java.util.List;

/**
 * Provenance of a merged result file: which files went in and how they were combined.
 *
 * @param mode {@code "shards"} (files ran concurrently over the same window and split one load) or
 *     {@code "runs"} (files are repetitions of the same trials one after another)
 * @param inputs every input file, in the order given
 * @param differences one line per environment field that was not the same in every input, e.g.
 *     {@code "run.host: a.example (a.json), b.example (b.json)"}; empty when all agree
 */
public record MergeInfo(String mode, List<Input> inputs, List<String> differences) {
    public MergeInfo {
        inputs = List.copyOf(inputs);
        differences = List.copyOf(differences);
    }

    /**
     * One input file of a merge.
     *
     * @param file the file as named on the command line (or a label given by the caller)
     * @param run its run metadata
     * @param target its target
     * @param partial whether that run was interrupted
     */
    public record Input(String file, RunInfo run, TargetInfo target, boolean partial) {}
}
