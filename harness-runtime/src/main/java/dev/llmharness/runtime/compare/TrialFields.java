package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a comparison holds side against side in each trial the sides have in common: one row per
 * field of the trial's set-up, each with what a difference between the sides can explain. A new
 * field is one more row of {@link #ROWS}.
 *
 * <p>A difference between the sides is an environment difference of the report ({@code --strict}:
 * exit 3); a {@linkplain Row#loud() loud} one, which changes what the trial measures, is also a
 * warning of the trial itself, beside its verdicts. Runs of one side that differ in a row that
 * must {@linkplain Row#oneConfiguration() repeat one configuration} make the side a mix, which
 * {@link Comparison} refuses unless {@code --allow-mixed-runs}.
 */
final class TrialFields {
    private TrialFields() {}

    /**
     * One compared field of a trial.
     *
     * @param name as messages name it, after {@code trial <id> }
     * @param key the value compared, {@code null} when the trial does not record it
     * @param text the trial's value in words, for messages
     * @param unrecordedSaysNothing whether a run without the field (a file that predates it) is no
     *     difference; otherwise its {@code text} says {@code unknown} and it differs from any value
     * @param oneConfiguration whether the runs of one side must agree on it
     * @param loud whether a difference changes what the trial measures, so that its verdicts compare
     *     two set-ups rather than two servers
     * @param explains what a difference between the sides can explain, one clause
     */
    record Row(
            String name,
            Function<TrialResult, Object> key,
            Function<TrialResult, String> text,
            boolean unrecordedSaysNothing,
            boolean oneConfiguration,
            boolean loud,
            String explains) {}

    /** The compared fields, in the order their differences are listed. */
    static final List<Row> ROWS = List.of(
            new Row(
                    "load",
                    TrialResult::load,
                    t -> t.load() == null ? "unknown" : t.load().describe(),
                    false,
                    true,
                    true,
                    "another load (rate, workers, shape) changes every figure by itself"),
            new Row(
                    "workload",
                    TrialResult::workload,
                    t -> t.workload() == null ? "unknown" : workload(t.workload()),
                    true,
                    true,
                    true,
                    "other prompts (token shape, dataset or encoding) change every figure by themselves"),
            new Row(
                    "answers",
                    TrialResult::streamed,
                    t -> t.streamed() == null ? "unknown" : t.streamed() ? "streamed" : "not streamed (E2E only)",
                    true,
                    true,
                    true,
                    "answers not streamed have no TTFT or ITL, and their E2E includes no streaming"),
            new Row(
                    "seed",
                    TrialResult::seed,
                    t -> Long.toString(t.seed()),
                    true,
                    false,
                    false,
                    "other prompts and arrival instants were drawn: within the intervals' noise, yet a tail"
                            + " percentile can move with a few long prompts"),
            new Row(
                    "warmup",
                    t -> t.window() == null ? null : t.window().declaredWarmup(),
                    t -> t.window() == null ? "unknown" : t.window().declaredWarmup(),
                    true,
                    false,
                    false,
                    "the server and the harness enter the window in another state (caches, JIT, connections):"
                            + " the window's first latencies can differ"),
            new Row(
                    "window",
                    t -> t.window() == null ? null : t.window().declaredMeasurement(),
                    t -> t.window() == null ? "unknown" : t.window().declaredMeasurement(),
                    true,
                    false,
                    false,
                    "a longer window narrows the intervals and shifts percentile estimates (more of a slow"
                            + " drift or a rare stall falls inside it)"));

    /** A workload in words: its description and its encoding. */
    private static String workload(TrialResult.WorkloadInfo w) {
        return w.description() + (w.encoding() == null ? "" : ", encoding " + w.encoding());
    }

    /**
     * The differences between the sides' runs of trial {@code id}, one line per row that differs
     * ({@code trial <id> <name>: base <values>, contender <values>: <what it can explain>}), into
     * {@code differences}; a loud one also into {@code trialWarnings}.
     *
     * @param base the base's runs of the trial, at least one
     * @param contender the contender's runs of the trial, at least one
     */
    static void compare(
            String id,
            List<TrialResult> base,
            List<TrialResult> contender,
            List<String> differences,
            List<String> trialWarnings) {
        for (Row row : ROWS) {
            Map<Object, String> b = values(row, base);
            Map<Object, String> c = values(row, contender);
            if (row.unrecordedSaysNothing() && (b.isEmpty() || c.isEmpty())) {
                continue;
            }
            if (b.keySet().equals(c.keySet())) {
                continue;
            }
            differences.add("trial " + id + " " + row.name() + ": base " + String.join(" / ", b.values())
                    + ", contender " + String.join(" / ", c.values()) + ": " + row.explains());
            if (row.loud()) {
                trialWarnings.add("the sides differ in " + row.name() + " (see the environment differences): "
                        + row.explains() + ", so this trial's verdicts compare two set-ups, not two servers");
            }
        }
    }

    /**
     * Where the runs of one side differ in a row that must repeat one configuration: one line per
     * such row, {@code trial <id> <name>: <file> <value>, <file> <value>}, naming the first run
     * and the first run that differs from it.
     *
     * @param runs the side's runs of the trial
     * @param sources the file of each run, in the same order
     */
    static List<String> sideDifferences(String id, List<TrialResult> runs, List<String> sources) {
        List<String> differences = new ArrayList<>();
        for (Row row : ROWS) {
            if (!row.oneConfiguration()) {
                continue;
            }
            int first = -1;
            for (int i = 0; i < runs.size(); i++) {
                Object key = row.key().apply(runs.get(i));
                if (key == null && row.unrecordedSaysNothing()) {
                    continue;
                }
                if (first < 0) {
                    first = i;
                } else if (!Objects.equals(key, row.key().apply(runs.get(first)))) {
                    differences.add("trial " + id + " " + row.name() + ": " + sources.get(first) + " "
                            + row.text().apply(runs.get(first)) + ", " + sources.get(i) + " "
                            + row.text().apply(runs.get(i)));
                    break;
                }
            }
        }
        return differences;
    }

    /** The distinct recorded values of a row in {@code runs}, keyed by what is compared, in run order. */
    private static Map<Object, String> values(Row row, List<TrialResult> runs) {
        Map<Object, String> values = new LinkedHashMap<>();
        for (TrialResult t : runs) {
            Object key = row.key().apply(t);
            if (key == null && row.unrecordedSaysNothing()) {
                continue;
            }
            values.putIfAbsent(key, row.text().apply(t));
        }
        return values;
    }
}
