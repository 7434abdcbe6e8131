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
        Set<String> ids = new java.util.HashSet<>();
        for (TrialResult t : result.trials()) {
            require(t, source, "trials[]");
            require(t.id(), source, "trials[].id");
            if (!ids.add(t.id())) {
                // Every reader refuses it (a report too): no run measures one trial twice.
                throw new ResultFormatException(source + " lists trial " + t.id() + " twice: the file was edited or"
                        + " concatenated; give each run as its own file");
            }
            String where = "trial " + t.id() + ": ";
            require(t.window(), source, where + "window");
            require(t.counts(), source, where + "counts");
            require(t.tokens(), source, where + "tokens");
            require(t.throughput(), source, where + "throughput");
            require(t.metrics(), source, where + "metrics");
            require(t.slo(), source, where + "slo");
            require(t.timeline(), source, where + "timeline");
            require(t.warnings(), source, where + "warnings");
            TrialResult.Counts c = t.counts();
            if (c.sent() < 0 || c.completed() < 0 || c.failed() < 0 || c.cancelled() < 0) {
                throw new ResultFormatException(source + ": " + where + "a request count is negative (sent " + c.sent()
                        + ", completed " + c.completed() + ", failed " + c.failed() + ", cancelled " + c.cancelled()
                        + "): the file is corrupt or was edited; re-run the benchmark or restore the file");
            }
            for (Map.Entry<String, MetricResult> m : t.metrics().entrySet()) {
                require(m.getValue(), source, where + "metrics." + m.getKey());
                if (m.getValue().count() < 0) {
                    throw new ResultFormatException(source + ": " + where + "metric " + m.getKey() + " has a negative"
                            + " count (" + m.getValue().count() + "): the file is corrupt or was edited; re-run the"
                            + " benchmark or restore the file");
                }
                require(m.getValue().histogram(), source, where + "metrics." + m.getKey() + ".histogram");
                require(m.getValue().histogramUnit(), source, where + "metrics." + m.getKey() + ".histogramUnit");
                // Decoded once here, so that every reader (compare, merge, report, promote) names the
                // file, trial and metric of a histogram that does not decode, not only compare.
                try {
                    m.getValue().decodeHistogram();
                } catch (IllegalArgumentException e) {
                    throw new ResultFormatException(source + ": " + where + "metric " + m.getKey()
                            + ": its histogram does not decode; the file is corrupt, re-run the benchmark or restore"
                            + " the file");
                }
            }
            // The per-second histograms too (charts, per-window objectives, the analysis read them):
            // one that does not decode is named here, with its second, not later without a file.
            for (TrialResult.Interval second : t.timeline()) {
                if (second == null || second.latencies() == null) {
                    continue;
                }
                for (Map.Entry<String, String> h : second.latencies().entrySet()) {
                    try {
                        dev.llmharness.runtime.metrics.Histograms.decode(h.getValue());
                    } catch (IllegalArgumentException | NullPointerException e) {
                        throw new ResultFormatException(source + ": " + where + "timeline second " + second.second()
                                + ": its " + h.getKey() + " histogram does not decode; the file is corrupt, re-run the"
                                + " benchmark or restore the file");
                    }
                }
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
            requireTrials(runs.get(i), sources.get(i), "compare");
            requireWholeLoad(runs.get(i), sources.get(i));
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
        requireOneUnitPerMetric(runs, sources, "cannot be taken as runs of one side");
        requireDistinctOnSide(runs, sources, side);
    }

    /**
     * Every metric of a trial is in one unit across {@code runs}: a file of a harness that stored
     * another unit holds numbers that mean something else, and pooling, comparing or charting them
     * with the others would mix the two. {@code compare} checks both sides together, {@code promote}
     * and {@code report} their files.
     *
     * @param consequence ends the message, after "the files", e.g. {@code "cannot be compared"}
     * @throws ResultFormatException naming the metric, the trial, both units and both files
     */
    public static void requireOneUnitPerMetric(List<RunResult> runs, List<String> sources, String consequence) {
        // The first unit seen per trial and metric, and where it was seen.
        Map<String, String[]> units = new java.util.HashMap<>();
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
                    String[] seen = units.putIfAbsent(t.id() + "|" + m.getKey(), new String[] {unit, sources.get(i)});
                    if (seen != null && !java.util.Objects.equals(seen[0], unit)) {
                        throw new ResultFormatException("metric " + m.getKey() + " of trial " + t.id() + " is in "
                                + describeUnits(seen[0]) + " in " + seen[1] + " but in " + describeUnits(unit) + " in "
                                + sources.get(i) + ": the files " + consequence + "; re-run both with one harness"
                                + " version");
                    }
                }
            }
        }
    }

    private static String describeUnits(String unitPair) {
        String[] parts = unitPair.split("\\|", -1);
        return parts[0] + " (histogram in " + parts[1] + ")";
    }

    /**
     * A file with no trials is refused by every command that reads results ({@code compare}, {@code
     * merge}, {@code promote}, {@code report}): whatever it wrote (an empty report, an empty merge, a
     * baseline nothing can be compared with) would look like a result and say nothing.
     *
     * @param purpose what the command would do with it, e.g. {@code "merge"}; ends the message's
     *     "nothing to ..."
     * @return the one-line message naming the file, or {@code null} when it has trials
     */
    public static String noTrials(RunResult result, String source, String purpose) {
        if (!result.trials().isEmpty()) {
            return null;
        }
        return source + " has no trials: nothing to " + purpose + " (the run selected no trial or ended before"
                + " the first); re-run the benchmark";
    }

    /**
     * @throws ResultFormatException with {@link #noTrials}'s message when the file has no trials
     */
    public static void requireTrials(RunResult result, String source, String purpose) {
        String problem = noTrials(result, source, purpose);
        if (problem != null) {
            throw new ResultFormatException(problem);
        }
    }

    /**
     * The file holds whole trials, not one shard of a split run ({@code llmh run --shard K/N}): a
     * shard's counts and rates are its part of the load (a quarter of it for one of four), so
     * compared with a whole run it would read as a collapse of throughput, and its verdicts judge a
     * part. A merged file, and every file of an unsharded run ({@code "0/1"}), is whole.
     *
     * @throws ResultFormatException naming the file, the shard and the fix
     */
    static void requireWholeLoad(RunResult result, String source) {
        dev.llmharness.runtime.load.Shard shard = result.run() == null
                ? null
                : dev.llmharness.runtime.load.Shard.fromLabel(result.run().shard());
        if (shard != null && !shard.whole()) {
            throw new ResultFormatException(source + " is shard " + shard + " of a run, a part of its load: merge"
                    + " its " + shard.count() + " shards first (llmh merge -o merged.json FILE...) and give the merged"
                    + " file");
        }
    }

    /**
     * No run twice on a side: a repeated path or a copy would count as two runs that agree
     * perfectly, so the side's run-to-run variation would read as none and its interval as far
     * narrower than the data allow.
     */
    private static void requireDistinctOnSide(List<RunResult> runs, List<String> sources, String side) {
        requireDistinctRuns(
                runs,
                sources,
                " on the " + side + " side: give each run once; a repeated run counts as runs that agree perfectly");
    }

    /**
     * No run given twice (a repeated path or a copy of the file). A run is known by its start, its
     * host, its shard and its trials' window starts; a file that lacks them is not checked.
     *
     * @param consequence ends the message: where the runs were given and why one run twice is wrong,
     *     e.g. {@code ": give each file once; merging a run with itself counts its requests twice"}
     * @throws ResultFormatException naming both files
     */
    public static void requireDistinctRuns(List<RunResult> runs, List<String> sources, String consequence) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            String key = runKey(runs.get(i));
            Integer first = key == null ? null : seen.putIfAbsent(key, i);
            if (first != null) {
                throw new ResultFormatException(sources.get(first) + " and " + sources.get(i) + " are the same run"
                        + " (both started at " + runs.get(i).run().startTime() + ")" + consequence);
            }
        }
    }

    /**
     * The base and the contender are not one run: a run compared with itself agrees perfectly, so
     * the comparison says NO CHANGE whatever changed, and a gate passes that measured nothing new
     * (the same path typed on both sides, or a baseline promoted from the contender's own file).
     *
     * @throws ResultFormatException naming both files
     */
    public static void requireDifferentSides(
            List<RunResult> base, List<String> baseSources, List<RunResult> contender, List<String> contenderSources) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < base.size(); i++) {
            String key = runKey(base.get(i));
            if (key != null) {
                seen.putIfAbsent(key, i);
            }
        }
        for (int i = 0; i < contender.size(); i++) {
            String key = runKey(contender.get(i));
            Integer b = key == null ? null : seen.get(key);
            if (b != null) {
                throw new ResultFormatException("the base " + baseSources.get(b) + " and the contender "
                        + contenderSources.get(i) + " are the same run (both started at "
                        + contender.get(i).run().startTime() + "): a run compared with itself always shows no"
                        + " change; compare with a run of the other side");
            }
        }
    }

    /**
     * What identifies a run: its start, host, shard, and each trial's window start, counts and
     * histograms (a copy of a file has them all; two runs never do, even runs made up in a test with
     * the same labels); {@code null} when unknown.
     */
    private static String runKey(RunResult r) {
        if (r.run() == null || r.run().startTime() == null) {
            return null;
        }
        StringBuilder key = new StringBuilder(r.run().startTime())
                .append('|')
                .append(r.run().host())
                .append('|')
                // Shards of one run started together on one host differ in this alone.
                .append(r.run().shard());
        for (TrialResult t : r.trials()) {
            key.append('|').append(t.id());
            key.append('|').append(t.window() == null ? null : t.window().startTime());
            key.append('|').append(t.counts());
            if (t.metrics() != null) {
                t.metrics()
                        .forEach((name, m) -> key.append('|')
                                .append(name)
                                .append(
                                        m == null || m.histogram() == null
                                                ? 0
                                                : m.histogram().hashCode()));
            }
        }
        return key.toString();
    }

    private static void require(Object value, String source, String field) {
        if (value == null) {
            throw new ResultFormatException(source + " lacks " + field
                    + ": the file is incomplete or was edited; re-run the benchmark or restore the file");
        }
    }
}
