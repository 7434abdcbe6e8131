package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.RunResult;
import java.util.List;

/**
 * Checks that result files can be compared at all, before any statistics: all files of one schema
 * version, every file with trials and no trial listed twice, the runs of one side with the same
 * trials, every metric the sides share in the same units, at least one trial in common, and no run
 * on both sides. A failed check is one line naming the files (exit code 2), not a comparison of
 * numbers that do not mean the same thing.
 */
final class CompareInputs {
    private CompareInputs() {}

    /**
     * @throws ResultFormatException naming the files and the difference
     */
    static void requireComparable(
            List<RunResult> base, List<String> baseSources, List<RunResult> contender, List<String> contenderSources) {
        RunResult first = base.get(0);
        String firstSource = baseSources.get(0);
        for (int side = 0; side < 2; side++) {
            List<RunResult> runs = side == 0 ? base : contender;
            List<String> sources = side == 0 ? baseSources : contenderSources;
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).schemaVersion() != first.schemaVersion()) {
                    throw new ResultFormatException(firstSource + " has schemaVersion " + first.schemaVersion()
                            + " but " + sources.get(i) + " has " + runs.get(i).schemaVersion()
                            + ": compare files written by the same harness version (re-run the older side)");
                }
            }
        }
        ResultChecks.requireReplicates(base, baseSources, "base");
        ResultChecks.requireReplicates(contender, contenderSources, "contender");
        List<RunResult> all = new java.util.ArrayList<>(base);
        all.addAll(contender);
        List<String> allSources = new java.util.ArrayList<>(baseSources);
        allSources.addAll(contenderSources);
        ResultChecks.requireOneUnitPerMetric(all, allSources, "cannot be compared");
        requireTrialsInCommon(base, baseSources, contender, contenderSources);
        ResultChecks.requireDifferentSides(base, baseSources, contender, contenderSources);
    }

    /**
     * The sides share at least one trial (each side's runs have the same trials by now): two files
     * of different benchmarks or parameters compare nothing, and an empty report with exit code 0
     * would read as "no regression".
     */
    private static void requireTrialsInCommon(
            List<RunResult> base, List<String> baseSources, List<RunResult> contender, List<String> contenderSources) {
        java.util.Set<String> baseIds = new java.util.TreeSet<>();
        base.get(0).trials().forEach(t -> baseIds.add(t.id()));
        java.util.Set<String> contenderIds = new java.util.TreeSet<>();
        contender.get(0).trials().forEach(t -> contenderIds.add(t.id()));
        if (java.util.Collections.disjoint(baseIds, contenderIds)) {
            throw new ResultFormatException("the base " + files(baseSources) + " and the contender "
                    + files(contenderSources) + " have no trial in common; base trials: " + baseIds
                    + ", contender trials: " + contenderIds
                    + ". Compare results of the same benchmarks and parameters.");
        }
    }

    /** The first file of a side, and how many more. */
    private static String files(List<String> sources) {
        return sources.get(0) + (sources.size() == 1 ? "" : " (and " + (sources.size() - 1) + " more)");
    }
}
