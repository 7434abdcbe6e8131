package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that result files can be compared at all, before any statistics: all files of one schema
 * version, every file with trials and no trial listed twice, the runs of one side with the same
 * trials, every metric the sides share in the same units, and no run on both sides. A failed check is one line naming
 * the files (exit code 2), not a comparison of numbers that do not mean the same thing.
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
        // The first unit seen per trial and metric, and where it was seen.
        Map<String, String[]> units = new HashMap<>();
        for (int side = 0; side < 2; side++) {
            List<RunResult> runs = side == 0 ? base : contender;
            List<String> sources = side == 0 ? baseSources : contenderSources;
            for (int i = 0; i < runs.size(); i++) {
                for (TrialResult t : runs.get(i).trials()) {
                    if (t.metrics() == null) {
                        continue;
                    }
                    for (Map.Entry<String, MetricResult> m : t.metrics().entrySet()) {
                        if (m.getValue() == null) {
                            continue;
                        }
                        String unit = m.getValue().unit() + "|" + m.getValue().histogramUnit();
                        String key = t.id() + "|" + m.getKey();
                        String[] seen = units.putIfAbsent(key, new String[] {unit, sources.get(i)});
                        if (seen != null && !Objects.equals(seen[0], unit)) {
                            throw new ResultFormatException("metric " + m.getKey() + " of trial " + t.id() + " is in "
                                    + describe(seen[0]) + " in " + seen[1] + " but in " + describe(unit) + " in "
                                    + sources.get(i) + ": the files cannot be compared; re-run both with one"
                                    + " harness version");
                        }
                    }
                }
            }
        }
        ResultChecks.requireDifferentSides(base, baseSources, contender, contenderSources);
    }

    private static String describe(String unitPair) {
        String[] parts = unitPair.split("\\|", -1);
        return parts[0] + " (histogram in " + parts[1] + ")";
    }
}
