package dev.llmharness.runtime.result;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a result read from a file has every part that merge and compare rely on. The JSON
 * reader accepts {@code null} for any object (records cannot tell absent from null), so a file
 * that lost a field would otherwise fail later with a bare NullPointerException. Also the one place
 * that knows when several files are the runs of one side.
 */
public final class ResultChecks {
    private ResultChecks() {}

    /**
     * @param source the file name, used in the message
     * @throws ResultFormatException naming the file, the trial and the missing field
     */
    public static void requireComplete(RunResult result, String source) {
        require(result.run(), source, "run");
        require(result.target(), source, "target");
        for (TrialResult t : result.trials()) {
            require(t, source, "trials[]");
            require(t.id(), source, "trials[].id");
            String where = "trial " + t.id() + ": ";
            require(t.window(), source, where + "window");
            require(t.counts(), source, where + "counts");
            require(t.tokens(), source, where + "tokens");
            require(t.throughput(), source, where + "throughput");
            require(t.metrics(), source, where + "metrics");
            require(t.slo(), source, where + "slo");
            require(t.timeline(), source, where + "timeline");
            require(t.warnings(), source, where + "warnings");
            for (Map.Entry<String, MetricResult> m : t.metrics().entrySet()) {
                require(m.getValue(), source, where + "metrics." + m.getKey());
                require(m.getValue().histogram(), source, where + "metrics." + m.getKey() + ".histogram");
                require(m.getValue().histogramUnit(), source, where + "metrics." + m.getKey() + ".histogramUnit");
            }
        }
    }

    /**
     * Each file has trials, none twice, and the runs of one side have the same trials: the runs of
     * a side are replicates of one configuration, and a trial that only some runs have would be
     * compared with fewer runs than the side claims, its interval narrower than it should be. {@code
     * llmh compare} checks each side with it, {@code llmh promote} the runs it makes the baseline, so
     * that no baseline is written that a comparison would then refuse.
     *
     * @param side how messages name the runs, e.g. {@code "base"}
     * @throws ResultFormatException naming the file and the trial
     */
    public static void requireReplicates(List<RunResult> runs, List<String> sources, String side) {
        Set<String> firstIds = null;
        for (int i = 0; i < runs.size(); i++) {
            Set<String> ids = new LinkedHashSet<>();
            for (TrialResult t : runs.get(i).trials()) {
                if (!ids.add(t.id())) {
                    throw new ResultFormatException(sources.get(i) + " lists trial " + t.id() + " twice: the file"
                            + " was edited or concatenated; give each run as its own file");
                }
            }
            if (ids.isEmpty()) {
                throw new ResultFormatException(sources.get(i) + " has no trials: nothing to compare (the run"
                        + " selected no trial or ended before the first); re-run the benchmark");
            }
            if (firstIds == null) {
                firstIds = ids;
                continue;
            }
            if (!ids.equals(firstIds)) {
                Set<String> missing = new TreeSet<>(firstIds);
                missing.removeAll(ids);
                Set<String> extra = new TreeSet<>(ids);
                extra.removeAll(firstIds);
                throw new ResultFormatException("the " + side + " runs do not have the same trials: "
                        + sources.get(i) + (missing.isEmpty() ? "" : " lacks " + missing)
                        + (missing.isEmpty() || extra.isEmpty() ? "" : " and")
                        + (extra.isEmpty() ? "" : " has " + extra + " besides")
                        + " those of " + sources.get(0)
                        + "; the runs of a side must repeat one selection (re-run it, or leave the file out)");
            }
        }
        requireDistinctRuns(runs, sources, side);
    }

    /**
     * No run twice on a side: a repeated path or a copy would count as two runs that agree
     * perfectly, so the side's run-to-run variation would read as none and its interval as far
     * narrower than the data allow. A run is known by its start, its host and its trials' window
     * starts; a file that lacks them is not checked.
     */
    private static void requireDistinctRuns(List<RunResult> runs, List<String> sources, String side) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            if (r.run() == null || r.run().startTime() == null) {
                continue;
            }
            StringBuilder key = new StringBuilder(r.run().startTime())
                    .append('|')
                    .append(r.run().host());
            for (TrialResult t : r.trials()) {
                key.append('|').append(t.window() == null ? null : t.window().startTime());
            }
            Integer first = seen.putIfAbsent(key.toString(), i);
            if (first != null) {
                throw new ResultFormatException(sources.get(first) + " and " + sources.get(i) + " are the same run"
                        + " (both started at " + r.run().startTime() + ") on the " + side + " side: give each"
                        + " run once; a repeated run counts as runs that agree perfectly");
            }
        }
    }

    private static void require(Object value, String source, String field) {
        if (value == null) {
            throw new ResultFormatException(source + " lacks " + field
                    + ": the file is incomplete or was edited; re-run the benchmark or restore the file");
        }
    }
}
