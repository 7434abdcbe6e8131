package dev.llmharness.runtime.result;

import dev.llmharness.runtime.load.Shard;
import dev.llmharness.runtime.metrics.FailureLog;
import dev.llmharness.runtime.metrics.Histograms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Merges result files of the same trials into one: shards of one run, or repeated runs.
 *
 * <p>How each part combines (the one place that says so):
 *
 * <ul>
 *   <li>Histograms are added; all harness histograms share the settings of {@link Histograms}, so
 *       the sum is exactly the histogram of all samples. Summaries (min, mean, percentiles...) are
 *       recomputed from the merged histogram, never averaged.
 *   <li>Counts, failures by category and token totals are summed; a per-source token total
 *       ({@code serverInput}...) sums the inputs that have it, and is {@code null} if none has.
 *   <li>Failure messages with the same text add their counts (the first example is kept), cut
 *       again to the most frequent {@link FailureLog#MAX_MESSAGES_PER_CATEGORY}; the rest of each
 *       category's count is in {@code others}, so no failure goes uncounted.
 *   <li>{@link Mode#SHARDS}: the inputs ran concurrently over the same window, so rates add, the
 *       window is the longest input window, and timelines are summed second by second: counts,
 *       offered starts and in-flight time add, per-second latency histograms add exactly, and each
 *       second's latency percentiles ({@code timeline[].percentiles}) are recomputed from its added
 *       histograms, never averaged. The shards of a split run ({@code llmh run --shard K/N}) must
 *       be shards {@code 0 .. N-1}, each once, and the merged load is the whole trial's load they
 *       each record; files that are no shard add their loads ({@code mergeShardLoad}).
 *   <li>{@link Mode#RUNS}: the inputs ran one after another, so each rate is the total over the
 *       summed window time: {@code sum(rate_i * seconds_i) / sum(seconds_i)}, the window length is
 *       the sum, and timelines are concatenated in input order, each second kept whole (its
 *       histograms and the percentiles computed from them alike).
 *   <li>The harness threads' CPU figure ({@code window.harnessThreads}): CPU time, run-queue wait
 *       and timeslices are summed in both modes (each input's threads are others); the span is the
 *       longest input's for shards (their windows coincide) and the sum for runs, and the wait's
 *       share is recomputed over it. An input without the figure (not Linux, an older file) makes
 *       the merged one {@code null}: a sum that misses an input would pass for the whole.
 *   <li>The error rate is recomputed: merged failed / (completed + failed).
 *   <li>SLO verdicts are re-evaluated on the merged values from the objective and limit stored in
 *       each verdict ({@code "ttft p99 <= 2s"}, {@code "errorRate <= 0.01"}).
 *   <li>Server metrics (scraped from the server's {@code /metrics}) do not add: the first input's are
 *       kept, with a warning when several inputs have them.
 *   <li>Cost is kept when every input priced the same deployment (allocation, price, GPUs,
 *       utilisation, replicas), its per-token, per-request and per-dollar figures recomputed from
 *       the merged throughput; inputs priced differently, or some not at all, merge to none, with a
 *       warning.
 *   <li>Metadata: the merged file lists every input in {@link RunResult#merge()} together with every
 *       environment field that differed between them.
 * </ul>
 */
public final class ResultMerger {
    /** How the inputs relate in time. */
    public enum Mode {
        /** Concurrent shards of one run over the same window: rates add. */
        SHARDS,
        /** Repetitions of the same trials, one after another: totals over the summed window time. */
        RUNS;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ResultMerger() {}

    /**
     * Merges results of the same trials.
     *
     * @param inputs at least one result
     * @param sources names of the inputs (file names), same size as {@code inputs}, used in
     *     provenance and error messages
     * @param mode how the inputs relate in time
     * @throws MergeException naming the files when they do not hold the same trials, or their
     *     histograms do not decode or have different settings
     */
    public static RunResult merge(List<RunResult> inputs, List<String> sources, Mode mode) {
        Objects.requireNonNull(mode, "mode");
        if (inputs.isEmpty()) {
            throw new MergeException("nothing to merge: give at least one result file");
        }
        if (inputs.size() != sources.size()) {
            throw new IllegalArgumentException(
                    "one source name per input: " + inputs.size() + " inputs, " + sources.size() + " names");
        }
        for (int i = 0; i < inputs.size(); i++) {
            ResultChecks.requireComplete(inputs.get(i), sources.get(i));
        }
        checkSameTrials(inputs, sources);
        List<Shard> split = splitRun(inputs, sources, mode);
        List<String> differences = environmentDifferences(inputs, sources);
        List<TrialResult> trials = new ArrayList<>();
        for (TrialResult first : inputs.get(0).trials()) {
            List<TrialResult> parts = new ArrayList<>();
            for (RunResult input : inputs) {
                parts.add(trialById(input, first.id()));
            }
            trials.add(mergeTrial(parts, sources, mode, split));
        }
        List<MergeInfo.Input> provenance = new ArrayList<>();
        boolean partial = false;
        for (int i = 0; i < inputs.size(); i++) {
            RunResult r = inputs.get(i);
            provenance.add(new MergeInfo.Input(sources.get(i), r.run(), r.target(), r.partial()));
            partial |= r.partial();
        }
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                mergeRunInfo(inputs, mode),
                mergeTarget(inputs),
                trials,
                partial,
                new MergeInfo(mode.json(), provenance, differences));
    }

    /**
     * The shard of each input when they are the shards of one split run ({@code llmh run --shard
     * K/N}: {@code run.shard} {@code "K/N"} with {@code N > 1}), each of which records the whole
     * trial's load; {@code null} when they are no shards ({@code "0/1"}, and every file written
     * before {@code --shard} existed), which merge as before, each load a machine's own. Shards must
     * be shards {@code 0 .. N-1} of the same {@code N}, each exactly once, since the merged trial is
     * read as the whole load, and a missing shard's requests would be missing from its counts, rates
     * and verdicts without a word (re-running a shard gives the same arrivals, so the fix is at
     * hand).
     *
     * @throws MergeException naming the files when shards are mixed with other files, come from
     *     runs split differently, repeat, or are missing, or when shards are merged as runs
     */
    private static List<Shard> splitRun(List<RunResult> inputs, List<String> sources, Mode mode) {
        List<Shard> shards = new ArrayList<>();
        int firstSplit = -1;
        for (int i = 0; i < inputs.size(); i++) {
            Shard s = Shard.fromLabel(inputs.get(i).run().shard());
            shards.add(s);
            if (firstSplit < 0 && s != null && !s.whole()) {
                firstSplit = i;
            }
        }
        if (firstSplit < 0) {
            return null;
        }
        Shard model = shards.get(firstSplit);
        String modelSource = sources.get(firstSplit);
        if (mode == Mode.RUNS) {
            throw new MergeException(modelSource + " is shard " + model + " of a run, a part of its load: merge the "
                    + model.count() + " shards of each run with --mode shards first, then merge those files as runs");
        }
        Map<Integer, Integer> byIndex = new TreeMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Shard s = shards.get(i);
            if (s == null || s.count() != model.count()) {
                throw new MergeException(modelSource + " is shard " + model + " of a run, but " + sources.get(i)
                        + " is "
                        + (s == null || s.whole()
                                ? "not a shard (run.shard \""
                                        + inputs.get(i).run().shard() + "\")"
                                : "shard " + s + " of a run split " + s.count() + " ways")
                        + ": merge the " + model.count() + " shards of one run, each once");
            }
            Integer seen = byIndex.putIfAbsent(s.index(), i);
            if (seen != null) {
                throw new MergeException(sources.get(seen) + " and " + sources.get(i) + " are both shard " + s
                        + ": give each shard once (a shard run again replaces its earlier file)");
            }
        }
        if (byIndex.size() < model.count()) {
            List<String> missing = new ArrayList<>();
            for (int k = 0; k < model.count(); k++) {
                if (!byIndex.containsKey(k)) {
                    missing.add(k + "/" + model.count());
                }
            }
            throw new MergeException("shard" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing.subList(0, Math.min(missing.size(), 8)))
                    + (missing.size() > 8 ? " and " + (missing.size() - 8) + " more" : "") + " of the run "
                    + (missing.size() == 1 ? "is" : "are") + " missing: give all " + model.count() + " shard files"
                    + " (run a missing one with --shard K/" + model.count() + "; it issues the same arrivals)");
        }
        return shards;
    }

    private static void checkSameTrials(List<RunResult> inputs, List<String> sources) {
        Set<String> reference = trialIds(inputs.get(0), sources.get(0));
        String empty = ResultChecks.noTrials(inputs.get(0), sources.get(0), "merge");
        if (empty != null) {
            // A merge of nothing would write a file that no comparison or report can use.
            throw new MergeException(empty);
        }
        for (int i = 1; i < inputs.size(); i++) {
            Set<String> ids = trialIds(inputs.get(i), sources.get(i));
            for (String id : reference) {
                if (!ids.contains(id)) {
                    throw new MergeException("trial " + id + " is in " + sources.get(0) + " but not in "
                            + sources.get(i) + ": merge only files of the same benchmarks and parameters");
                }
            }
            for (String id : ids) {
                if (!reference.contains(id)) {
                    throw new MergeException("trial " + id + " is in " + sources.get(i) + " but not in "
                            + sources.get(0) + ": merge only files of the same benchmarks and parameters");
                }
            }
        }
    }

    private static Set<String> trialIds(RunResult result, String source) {
        Set<String> ids = new LinkedHashSet<>();
        for (TrialResult t : result.trials()) {
            if (!ids.add(t.id())) {
                throw new MergeException(source + " holds trial " + t.id() + " twice: it is not a valid result file");
            }
        }
        return ids;
    }

    private static TrialResult trialById(RunResult result, String id) {
        for (TrialResult t : result.trials()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalStateException("trial " + id + " vanished after the check");
    }

    /**
     * @param split each input's shard when the inputs are the shards of one split run, else {@code
     *     null}
     */
    private static TrialResult mergeTrial(List<TrialResult> parts, List<String> sources, Mode mode, List<Shard> split) {
        TrialResult first = parts.get(0);
        List<String> warnings = split == null ? inputWarnings(parts) : shardWarnings(parts, split);
        for (int i = 1; i < parts.size(); i++) {
            TrialResult t = parts.get(i);
            if (!Objects.equals(t.workload(), first.workload())) {
                warnings.add("merged inputs differ in workload: " + describeWorkload(first) + " (" + sources.get(0)
                        + ") vs " + describeWorkload(t) + " (" + sources.get(i) + ")");
            }
            if (mode == Mode.RUNS && !Objects.equals(t.load(), first.load())) {
                warnings.add("merged runs differ in load: " + describeLoad(first) + " (" + sources.get(0) + ") vs "
                        + describeLoad(t) + " (" + sources.get(i) + "); the first is kept");
            }
            if (mode == Mode.SHARDS && t.seed() != first.seed()) {
                warnings.add("merged shards have different seeds (" + first.seed() + " in " + sources.get(0) + ", "
                        + t.seed() + " in " + sources.get(i)
                        + "): shards of one run share the global schedule's seed");
            }
        }
        TrialResult.WindowInfo window = mergeWindow(parts, mode);
        TrialResult.Counts counts = mergeCounts(parts);
        TrialResult.Tokens tokens = mergeTokens(parts);
        TrialResult.Throughput throughput = mergeThroughput(parts, mode);
        Double errorRate = counts.completed() + counts.failed() == 0
                ? null
                : (double) counts.failed() / (counts.completed() + counts.failed());
        Map<String, MetricResult> metrics = mergeMetrics(parts, sources, warnings);
        List<TrialResult.SloVerdict> slo = reevaluateSlo(parts, metrics, errorRate, warnings);
        List<TrialResult.Interval> timeline =
                mode == Mode.SHARDS ? sumTimelines(parts, first.id()) : concatenateTimelines(parts);
        slo = withWindowVerdicts(slo, parts, mode, window, timeline, warnings);
        slo = withThroughputVerdicts(slo, parts, mode, window, timeline, metrics);
        return new TrialResult(
                first.id(),
                first.benchmark(),
                first.params(),
                first.api(),
                first.streamed(),
                mode == Mode.SHARDS ? mergeShardLoad(parts, sources, warnings, split != null) : first.load(),
                first.workload(),
                first.seed(),
                window,
                counts,
                tokens,
                throughput,
                errorRate,
                metrics,
                slo,
                timeline,
                warnings,
                mergeServer(parts, warnings),
                mergeCost(parts, throughput, warnings),
                first.analysis(),
                HarnessLimit.merge(
                        parts.stream().map(TrialResult::harnessLimit).toList(), HarnessLimit.ttftShift(metrics)));
    }

    /** Every input's warnings, each text once. */
    private static List<String> inputWarnings(List<TrialResult> parts) {
        List<String> warnings = new ArrayList<>();
        for (TrialResult t : parts) {
            for (String w : t.warnings()) {
                if (!warnings.contains(w)) {
                    warnings.add(w);
                }
            }
        }
        return warnings;
    }

    /**
     * The shards' warnings, each text once: as it is when every shard gave it, else after the
     * shards that did ({@code "shard 1/4: no request started inside the measurement window"}). A
     * shard's warning is about its part of the load (its figures, its objectives judged on its part,
     * its machine), so a warning that only some shards gave would otherwise read as the whole
     * trial's: a shard with no arrival in the window is not a trial with none.
     */
    private static List<String> shardWarnings(List<TrialResult> parts, List<Shard> shards) {
        Map<String, List<String>> byText = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            for (String w : parts.get(i).warnings()) {
                List<String> from = byText.computeIfAbsent(w, k -> new ArrayList<>());
                String shard = shards.get(i).toString();
                if (!from.contains(shard)) {
                    from.add(shard);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        byText.forEach((text, from) -> warnings.add(
                from.size() == parts.size()
                        ? text
                        : (from.size() == 1 ? "shard " : "shards ") + String.join(", ", from) + ": " + text));
        return warnings;
    }

    private static ServerMetrics mergeServer(List<TrialResult> parts, List<String> warnings) {
        List<ServerMetrics> present =
                parts.stream().map(TrialResult::server).filter(Objects::nonNull).toList();
        if (present.size() > 1) {
            warnings.add("server metrics do not add across inputs: only the first input's are kept");
        }
        return present.isEmpty() ? null : present.get(0);
    }

    private static Cost mergeCost(List<TrialResult> parts, TrialResult.Throughput throughput, List<String> warnings) {
        Cost first = parts.get(0).cost();
        boolean same = parts.stream().allMatch(t -> sameDeployment(first, t.cost()));
        if (!same) {
            if (parts.stream().anyMatch(t -> t.cost() != null)) {
                warnings.add("the inputs priced different deployments (or some none): the merged trial has no cost");
            }
            return null;
        }
        if (first == null) {
            return null;
        }
        double perHour = first.costPerHour();
        double tokensPerHour = throughput.outputTokensPerSecond() * 3600;
        double requestsPerHour = throughput.requestsPerSecond() * 3600;
        return new Cost(
                first.allocation(),
                first.instancePricePerHour(),
                first.gpusPerInstance(),
                first.gpusUsed(),
                first.utilization(),
                first.replicas(),
                perHour,
                tokensPerHour > 0 ? sixDigits(perHour / tokensPerHour * 1_000_000) : null,
                requestsPerHour > 0 ? sixDigits(perHour / requestsPerHour * 1_000) : null,
                tokensPerHour > 0 && perHour > 0 ? sixDigits(tokensPerHour / perHour) : null);
    }

    private static boolean sameDeployment(Cost a, Cost b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.allocation().equals(b.allocation())
                && a.instancePricePerHour() == b.instancePricePerHour()
                && a.gpusPerInstance() == b.gpusPerInstance()
                && a.gpusUsed() == b.gpusUsed()
                && a.utilization() == b.utilization()
                && a.replicas() == b.replicas();
    }

    private static double sixDigits(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    private static String describeLoad(TrialResult t) {
        return t.load() == null ? "none" : t.load().describe();
    }

    private static String describeWorkload(TrialResult t) {
        return t.workload() == null ? "none" : t.workload().description();
    }

    private static TrialResult.WindowInfo mergeWindow(List<TrialResult> parts, Mode mode) {
        String start = null;
        double warmup = 0;
        double measurement = 0;
        double drain = 0;
        Long inWindow = 0L;
        Long inDrain = 0L;
        for (TrialResult t : parts) {
            TrialResult.WindowInfo w = t.window();
            // Counts add in either mode; unknown in one input means unknown in the merge.
            inWindow = inWindow == null || w.completedInWindow() == null ? null : inWindow + w.completedInWindow();
            inDrain = inDrain == null || w.completedInDrain() == null ? null : inDrain + w.completedInDrain();
            if (start == null || (w.startTime() != null && w.startTime().compareTo(start) < 0)) {
                start = w.startTime();
            }
            if (mode == Mode.SHARDS) {
                warmup = Math.max(warmup, w.warmupSeconds());
                measurement = Math.max(measurement, w.measurementSeconds());
                drain = Math.max(drain, w.drainSeconds());
            } else {
                warmup += w.warmupSeconds();
                measurement += w.measurementSeconds();
                drain += w.drainSeconds();
            }
        }
        // Each input ran the declared phases: the merge keeps them where the inputs agree.
        return new TrialResult.WindowInfo(start, warmup, measurement, drain, inWindow, inDrain)
                .withDeclared(
                        declared(parts, TrialResult.WindowInfo::declaredWarmup),
                        declared(parts, TrialResult.WindowInfo::declaredMeasurement))
                .withHarnessThreads(mergeHarnessThreads(parts, mode));
    }

    /** The parts' common declared phase, or {@code null} when they differ or one did not record it. */
    private static String declared(List<TrialResult> parts, Function<TrialResult.WindowInfo, String> phase) {
        Set<String> values = new LinkedHashSet<>();
        parts.forEach(t -> values.add(phase.apply(t.window())));
        return values.size() == 1 ? values.iterator().next() : null;
    }

    /** {@code window.harnessThreads} merged by the rule in the class comment. */
    static TrialResult.HarnessThreads mergeHarnessThreads(List<TrialResult> parts, Mode mode) {
        double seconds = 0;
        double cpu = 0;
        double wait = 0;
        long slices = 0;
        for (TrialResult t : parts) {
            TrialResult.HarnessThreads h =
                    t.window() == null ? null : t.window().harnessThreads();
            if (h == null) {
                return null;
            }
            seconds = mode == Mode.SHARDS ? Math.max(seconds, h.seconds()) : seconds + h.seconds();
            cpu += h.onCpuMs();
            wait += h.runQueueWaitMs();
            slices += h.timeslices();
        }
        return new TrialResult.HarnessThreads(
                Math.round(seconds * 1e3) / 1e3,
                Math.round(cpu * 1e3) / 1e3,
                Math.round(wait * 1e3) / 1e3,
                seconds <= 0 ? 0.0 : Math.round(1e6 * wait / (seconds * 1e3)) / 1e6,
                slices);
    }

    private static TrialResult.Counts mergeCounts(List<TrialResult> parts) {
        long sent = 0;
        long completed = 0;
        long failed = 0;
        long cancelled = 0;
        long delayed = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (TrialResult t : parts) {
            TrialResult.Counts c = t.counts();
            sent += c.sent();
            completed += c.completed();
            failed += c.failed();
            cancelled += c.cancelled();
            delayed += c.delayedStarts();
            if (c.failures() != null) {
                c.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
            }
        }
        return new TrialResult.Counts(
                sent, completed, failed, cancelled, failures, delayed, mergeFailureMessages(parts, failures));
    }

    /**
     * Messages with the same text are one message: their counts add and the first example is kept.
     * The list is cut again to {@link FailureLog#MAX_MESSAGES_PER_CATEGORY}, most frequent first,
     * and {@code others} is whatever the merged category count has that the listed messages do not:
     * failures that were in {@code others} of an input, or in an input written before messages were
     * recorded, stay counted there.
     */
    private static Map<String, TrialResult.FailureMessages> mergeFailureMessages(
            List<TrialResult> parts, Map<String, Long> failures) {
        Map<String, Map<String, TrialResult.FailureMessage>> byCategory = new LinkedHashMap<>();
        Map<String, Long> listedTotals = new LinkedHashMap<>();
        for (TrialResult t : parts) {
            t.counts().failureMessages().forEach((category, m) -> {
                Map<String, TrialResult.FailureMessage> messages =
                        byCategory.computeIfAbsent(category, k -> new LinkedHashMap<>());
                long total = m.others();
                for (TrialResult.FailureMessage one : m.messages()) {
                    messages.merge(
                            one.message(),
                            one,
                            (a, b) -> new TrialResult.FailureMessage(a.message(), a.example(), a.count() + b.count()));
                    total += one.count();
                }
                listedTotals.merge(category, total, Long::sum);
            });
        }
        Map<String, TrialResult.FailureMessages> merged = new LinkedHashMap<>();
        Set<String> categories = new LinkedHashSet<>();
        failures.forEach((category, count) -> {
            if (count > 0) {
                categories.add(category);
            }
        });
        categories.addAll(byCategory.keySet());
        for (String category : categories) {
            List<TrialResult.FailureMessage> list =
                    new ArrayList<>(byCategory.getOrDefault(category, Map.of()).values());
            list.sort(
                    Comparator.comparingLong(TrialResult.FailureMessage::count).reversed());
            list = List.copyOf(list.subList(0, Math.min(list.size(), FailureLog.MAX_MESSAGES_PER_CATEGORY)));
            long listed =
                    list.stream().mapToLong(TrialResult.FailureMessage::count).sum();
            long total = Math.max(failures.getOrDefault(category, 0L), listedTotals.getOrDefault(category, 0L));
            merged.put(category, new TrialResult.FailureMessages(list, total - listed));
        }
        return merged;
    }

    private static TrialResult.Tokens mergeTokens(List<TrialResult> parts) {
        long input = 0;
        long output = 0;
        long requested = 0;
        String source = null;
        for (TrialResult t : parts) {
            TrialResult.Tokens k = t.tokens();
            input += k.input();
            output += k.output();
            requested += k.requestedOutput();
            if (source == null) {
                source = k.source();
            } else if (!source.equals(k.source())) {
                source = "mixed";
            }
        }
        return new TrialResult.Tokens(
                input,
                output,
                requested,
                source,
                sumOfKnown(parts, TrialResult.Tokens::intendedInput),
                sumOfKnown(parts, TrialResult.Tokens::serverInput),
                sumOfKnown(parts, TrialResult.Tokens::countedOutput),
                sumOfKnown(parts, TrialResult.Tokens::serverOutput),
                null,
                null,
                sumOfKnown(parts, TrialResult.Tokens::clientInput));
    }

    /** The sum of a per-source token total over the inputs that have it; {@code null} if none has. */
    private static Long sumOfKnown(List<TrialResult> parts, Function<TrialResult.Tokens, Long> field) {
        Long sum = null;
        for (TrialResult t : parts) {
            Long v = field.apply(t.tokens());
            if (v != null) {
                sum = (sum == null ? 0 : sum) + v;
            }
        }
        return sum;
    }

    private static TrialResult.Throughput mergeThroughput(List<TrialResult> parts, Mode mode) {
        boolean allGoodput = parts.stream().allMatch(t -> t.throughput().goodputRequestsPerSecond() != null);
        if (mode == Mode.SHARDS) {
            double requests = 0;
            double output = 0;
            double total = 0;
            double goodput = 0;
            for (TrialResult t : parts) {
                requests += t.throughput().requestsPerSecond();
                output += t.throughput().outputTokensPerSecond();
                total += t.throughput().totalTokensPerSecond();
                goodput += allGoodput ? t.throughput().goodputRequestsPerSecond() : 0;
            }
            return new TrialResult.Throughput(requests, output, total, allGoodput ? goodput : null);
        }
        double seconds =
                parts.stream().mapToDouble(t -> t.window().measurementSeconds()).sum();
        return new TrialResult.Throughput(
                overSummedTime(parts, seconds, TrialResult.Throughput::requestsPerSecond),
                overSummedTime(parts, seconds, TrialResult.Throughput::outputTokensPerSecond),
                overSummedTime(parts, seconds, TrialResult.Throughput::totalTokensPerSecond),
                allGoodput ? overSummedTime(parts, seconds, TrialResult.Throughput::goodputRequestsPerSecond) : null);
    }

    /** {@code sum(rate_i * seconds_i) / sum(seconds_i)}: the total over the summed window time. */
    private static double overSummedTime(
            List<TrialResult> parts, double seconds, Function<TrialResult.Throughput, Double> rate) {
        if (seconds <= 0) {
            // No window length to weigh with (an interrupted run): the plain mean is all that is left.
            return parts.stream()
                    .mapToDouble(t -> rate.apply(t.throughput()))
                    .average()
                    .orElse(0);
        }
        double total = 0;
        for (TrialResult t : parts) {
            total += rate.apply(t.throughput()) * t.window().measurementSeconds();
        }
        return total / seconds;
    }

    /**
     * The load of merged shards. The shards of a split run ({@code split}, {@code llmh run --shard
     * K/N}) each record the whole trial's load, whatever its model and shape (a rate, a ramp, a
     * spike, stages, a trace, workers ramped or staged): it is the merged trial's as it is. Files
     * that are no shard (each machine ran a load of its own, or a file from before {@code --shard})
     * record each its own: the whole is the sum of their rates, in-flight caps and workers, and when
     * every file records the same load it is taken to be the global one.
     */
    private static TrialResult.LoadInfo mergeShardLoad(
            List<TrialResult> parts, List<String> sources, List<String> warnings, boolean split) {
        TrialResult.LoadInfo first = parts.get(0).load();
        if (split) {
            for (int i = 1; i < parts.size(); i++) {
                if (!Objects.equals(parts.get(i).load(), first)) {
                    warnings.add("the shards record different loads: " + describeLoad(parts.get(0)) + " ("
                            + sources.get(0) + ") vs " + describeLoad(parts.get(i)) + " (" + sources.get(i)
                            + "); the first shard's is kept, but shards of one run record the same load: were they"
                            + " run with the same options?");
                    break;
                }
            }
            return first;
        }
        if (first == null || parts.stream().allMatch(t -> Objects.equals(t.load(), first))) {
            return first;
        }
        Double rate = first.rate() == null ? null : 0.0;
        Integer inFlight = first.maxInFlight() == null ? null : 0;
        Integer concurrency = first.concurrency() == null ? null : 0;
        for (int i = 0; i < parts.size(); i++) {
            TrialResult t = parts.get(i);
            TrialResult.LoadInfo l = t.load();
            if (l == null || !Objects.equals(l.model(), first.model()) || !Objects.equals(l.shape(), first.shape())) {
                // Rates of an open loop and workers of a closed one (or a spike and a ramp) do not add.
                warnings.add("merged shards run different load models: " + describeLoad(parts.get(0)) + " ("
                        + sources.get(0) + ") vs " + describeLoad(t) + " (" + sources.get(i)
                        + "); the first shard's is kept");
                return first;
            }
            rate = rate == null || l.rate() == null ? null : rate + l.rate();
            inFlight = inFlight == null || l.maxInFlight() == null ? null : inFlight + l.maxInFlight();
            concurrency = concurrency == null || l.concurrency() == null ? null : concurrency + l.concurrency();
        }
        warnings.add("merged shards record different loads; the merged load is their sum");
        return new TrialResult.LoadInfo(
                first.model(),
                first.arrival(),
                rate,
                inFlight,
                concurrency,
                first.thinkTimeMs(),
                first.shape(),
                first.burstiness(),
                first.description() == null
                        ? null
                        : first.description() + " (per shard; merged: the sum of " + parts.size() + " shards)");
    }

    private static Map<String, MetricResult> mergeMetrics(
            List<TrialResult> parts, List<String> sources, List<String> warnings) {
        Set<String> names = new LinkedHashSet<>();
        for (TrialResult t : parts) {
            names.addAll(t.metrics().keySet());
        }
        Map<String, MetricResult> merged = new LinkedHashMap<>();
        for (String name : names) {
            Histogram sum = null;
            MetricResult template = null;
            String templateSource = null;
            for (int i = 0; i < parts.size(); i++) {
                MetricResult m = parts.get(i).metrics().get(name);
                if (m == null) {
                    warnings.add("metric " + name + " is missing from " + sources.get(i) + "; the merged " + name
                            + " holds the other inputs only");
                    continue;
                }
                Histogram h;
                try {
                    h = m.decodeHistogram();
                } catch (IllegalArgumentException e) {
                    throw new MergeException(
                            sources.get(i) + ": trial " + parts.get(i).id() + ", metric " + name + ": "
                                    + e.getMessage(),
                            e);
                }
                if (template == null) {
                    template = m;
                    templateSource = sources.get(i);
                    sum = h;
                    continue;
                }
                if (!Objects.equals(m.histogramUnit(), template.histogramUnit())) {
                    throw new MergeException("metric " + name + " of trial "
                            + parts.get(i).id() + " is in "
                            + m.histogramUnit() + " in " + sources.get(i) + " but in " + template.histogramUnit()
                            + " in " + templateSource + ": the files come from incompatible harness versions");
                }
                if (!sameSettings(sum, h)) {
                    throw new MergeException("metric " + name + " of trial "
                            + parts.get(i).id() + " in "
                            + sources.get(i) + " uses histogram settings " + settings(h) + ", but " + templateSource
                            + " uses " + settings(sum) + ": histograms merge exactly only with identical settings");
                }
                sum.add(h);
            }
            merged.put(name, summarise(template, sum, name));
        }
        return merged;
    }

    private static MetricResult summarise(MetricResult template, Histogram merged, String name) {
        if ("ns".equals(template.histogramUnit())) {
            MetricResult m = MetricResult.ofLatency(merged);
            return template.direction() == m.direction() ? m : withDirection(m, template.direction());
        }
        if ("tokens".equals(template.histogramUnit())) {
            return MetricResult.ofTokens(merged, template.direction());
        }
        throw new MergeException("metric " + name + " has histogram unit \"" + template.histogramUnit()
                + "\", which this harness does not know how to summarise (expected \"ns\" or \"tokens\")");
    }

    private static MetricResult withDirection(MetricResult m, Direction d) {
        return new MetricResult(
                m.unit(),
                d,
                m.count(),
                m.min(),
                m.mean(),
                m.stddev(),
                m.p50(),
                m.p90(),
                m.p95(),
                m.p99(),
                m.p999(),
                m.max(),
                m.histogramUnit(),
                m.histogram());
    }

    private static boolean sameSettings(Histogram a, Histogram b) {
        return a.getLowestDiscernibleValue() == b.getLowestDiscernibleValue()
                && a.getHighestTrackableValue() == b.getHighestTrackableValue()
                && a.getNumberOfSignificantValueDigits() == b.getNumberOfSignificantValueDigits();
    }

    private static String settings(Histogram h) {
        return "(lowest " + h.getLowestDiscernibleValue() + ", highest " + h.getHighestTrackableValue() + ", "
                + h.getNumberOfSignificantValueDigits() + " digits)";
    }

    /**
     * Re-evaluates each objective on the merged figures. The verdict stores the objective text and
     * its limit (ms for latencies), which is all that is needed; an objective in another form is
     * dropped with a warning rather than carried over from one input as if it held for all.
     */
    private static List<TrialResult.SloVerdict> reevaluateSlo(
            List<TrialResult> parts, Map<String, MetricResult> metrics, Double errorRate, List<String> warnings) {
        Map<String, TrialResult.SloVerdict> objectives = new LinkedHashMap<>();
        for (TrialResult t : parts) {
            for (TrialResult.SloVerdict v : t.slo()) {
                TrialResult.SloVerdict seen = objectives.putIfAbsent(v.objective(), v);
                if (seen != null && seen.limit() != v.limit()) {
                    warnings.add("SLO \"" + v.objective() + "\" has different limits in the merged inputs; "
                            + "the first (" + seen.limit() + ") is applied");
                }
            }
        }
        List<TrialResult.SloVerdict> verdicts = new ArrayList<>();
        for (TrialResult.SloVerdict v : objectives.values()) {
            Double actual;
            String metric = v.boundMetric();
            Double percentile = v.boundPercentile();
            if (v.perWindow() || v.onThroughput()) {
                continue; // judged on the merged timeline once the others are known
            }
            if (v.onErrorRate()) {
                actual = errorRate;
            } else if (metric != null && percentile != null) {
                MetricResult m = metrics.get(metric);
                if (m == null) {
                    warnings.add("SLO \"" + v.objective() + "\" names a metric the merged result does not have;"
                            + " its verdict is dropped");
                    continue;
                }
                actual = m.percentile(percentile);
            } else {
                warnings.add("SLO \"" + v.objective() + "\" cannot be re-evaluated on merged data; its verdict is "
                        + "dropped");
                continue;
            }
            verdicts.add(new TrialResult.SloVerdict(
                    v.objective(), v.limit(), actual, actual != null && actual <= v.limit(), metric, percentile));
        }
        return verdicts;
    }

    /**
     * {@code verdicts} followed by each input's per-window objective judged again by them: shards
     * on the summed timeline (their seconds coincide), runs window by window within each run (a
     * window never spans two runs), the windows and those that met the objectives adding up.
     */
    private static List<TrialResult.SloVerdict> withWindowVerdicts(
            List<TrialResult.SloVerdict> verdicts,
            List<TrialResult> parts,
            Mode mode,
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            List<String> warnings) {
        Map<String, TrialResult.SloVerdict> objectives = new LinkedHashMap<>();
        for (TrialResult t : parts) {
            for (TrialResult.SloVerdict v : t.slo()) {
                if (v.perWindow()) {
                    objectives.putIfAbsent(v.objective(), v);
                }
            }
        }
        if (objectives.isEmpty()) {
            return verdicts;
        }
        List<TrialResult.SloVerdict> all = new ArrayList<>(verdicts);
        for (TrialResult.SloVerdict v : objectives.values()) {
            if (v.windowSeconds() == null) {
                warnings.add("SLO \"" + v.objective() + "\" has no window length; its verdict is dropped");
                continue;
            }
            int windows = 0;
            int met = 0;
            if (mode == Mode.SHARDS) {
                var w = WindowSlo.of(window, timeline, verdicts, v.windowSeconds());
                windows = w.windows();
                met = w.met();
            } else {
                for (TrialResult t : parts) {
                    var w = WindowSlo.of(t.window(), t.timeline(), verdicts, v.windowSeconds());
                    windows += w.windows();
                    met += w.met();
                }
            }
            all.add(TrialResult.SloVerdict.windows(
                    v.objective(), v.limit(), v.windowSeconds(), windows == 0 ? null : (double) met / windows));
        }
        return all;
    }

    /**
     * {@code verdicts} followed by each input's throughput objective judged again ({@link
     * ThroughputFloor}): shards on the summed timeline and the merged latency, runs each on its own
     * (a window never spans two runs), the run that fell shortest giving the verdict.
     */
    private static List<TrialResult.SloVerdict> withThroughputVerdicts(
            List<TrialResult.SloVerdict> verdicts,
            List<TrialResult> parts,
            Mode mode,
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            Map<String, MetricResult> metrics) {
        Map<String, TrialResult.SloVerdict> objectives = new LinkedHashMap<>();
        for (TrialResult t : parts) {
            for (TrialResult.SloVerdict v : t.slo()) {
                if (v.onThroughput()) {
                    objectives.putIfAbsent(v.objective(), v);
                }
            }
        }
        if (objectives.isEmpty()) {
            return verdicts;
        }
        List<TrialResult.SloVerdict> all = new ArrayList<>(verdicts);
        for (TrialResult.SloVerdict v : objectives.values()) {
            int seconds = v.windowSeconds();
            ThroughputFloor.Check check;
            if (mode == Mode.SHARDS) {
                check = ThroughputFloor.judge(window, timeline, metrics, seconds, v.limit());
            } else {
                List<ThroughputFloor.Check> runs = new ArrayList<>();
                for (TrialResult t : parts) {
                    runs.add(ThroughputFloor.judge(t, seconds, v.limit()));
                }
                ThroughputFloor.Check shortest = ThroughputFloor.shortest(runs);
                check = shortest != null ? shortest : runs.get(0);
            }
            all.add(TrialResult.SloVerdict.throughput(v.objective(), seconds, check));
        }
        return all;
    }

    /**
     * Shards ran over the same window, so their seconds add: counts, tokens and in-flight
     * microseconds sum (so the mean in flight is the sum of the shards' means), and the per-second latency
     * histograms add exactly. A field that one input's second lacks (a file written before it
     * existed) makes that second's merged field {@code null} rather than a partial sum.
     */
    private static List<TrialResult.Interval> sumTimelines(List<TrialResult> parts, String trialId) {
        Map<Integer, TrialResult.Interval> bySecond = new TreeMap<>();
        for (TrialResult t : parts) {
            for (TrialResult.Interval i : t.timeline()) {
                bySecond.merge(i.second(), i, (a, b) -> addSeconds(a, b, trialId));
            }
        }
        return new ArrayList<>(bySecond.values());
    }

    private static TrialResult.Interval addSeconds(TrialResult.Interval a, TrialResult.Interval b, String trialId) {
        Map<String, String> latencies = null;
        if (a.latencies() != null && b.latencies() != null) {
            latencies = new LinkedHashMap<>(a.latencies());
            for (Map.Entry<String, String> e : b.latencies().entrySet()) {
                latencies.merge(e.getKey(), e.getValue(), (x, y) -> addEncoded(x, y, trialId, a.second()));
            }
        }
        return new TrialResult.Interval(
                a.second(),
                a.completed() + b.completed(),
                a.failed() + b.failed(),
                a.outputTokens() + b.outputTokens(),
                a.started() == null || b.started() == null ? null : a.started() + b.started(),
                a.inFlightMicros() == null || b.inFlightMicros() == null
                        ? null
                        : a.inFlightMicros() + b.inFlightMicros(),
                // null: the percentiles are computed from the added histograms, never averaged.
                latencies,
                null);
    }

    private static String addEncoded(String a, String b, String trialId, int second) {
        try {
            Histogram sum = Histograms.decode(a);
            Histogram other = Histograms.decode(b);
            if (!sameSettings(sum, other)) {
                throw new MergeException("trial " + trialId + ", timeline second " + second
                        + ": per-second histograms with different settings " + settings(sum) + " and "
                        + settings(other) + " do not merge exactly");
            }
            sum.add(other);
            return Histograms.encode(sum);
        } catch (IllegalArgumentException e) {
            throw new MergeException("trial " + trialId + ", timeline second " + second + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs follow one another: each run's timeline is shifted by the length of the runs before it
     * (its measurement window rounded up to whole seconds, or its timeline if longer); every field
     * of a second is kept as it is.
     */
    private static List<TrialResult.Interval> concatenateTimelines(List<TrialResult> parts) {
        List<TrialResult.Interval> timeline = new ArrayList<>();
        int offset = 0;
        for (TrialResult t : parts) {
            int length = (int) Math.ceil(t.window().measurementSeconds());
            for (TrialResult.Interval i : t.timeline()) {
                timeline.add(new TrialResult.Interval(
                        offset + i.second(),
                        i.completed(),
                        i.failed(),
                        i.outputTokens(),
                        i.started(),
                        i.inFlightMicros(),
                        i.latencies(),
                        i.percentiles()));
                length = Math.max(length, i.second() + 1);
            }
            offset += length;
        }
        return timeline;
    }

    private static RunInfo mergeRunInfo(List<RunResult> inputs, Mode mode) {
        RunInfo first = inputs.get(0).run();
        String start = first.startTime();
        boolean dirty = false;
        boolean anyGit = false;
        int cpus = 0;
        for (RunResult r : inputs) {
            RunInfo i = r.run();
            if (i.startTime() != null && (start == null || i.startTime().compareTo(start) < 0)) {
                start = i.startTime();
            }
            if (i.gitDirty() != null) {
                anyGit = true;
                dirty |= i.gitDirty();
            }
            cpus += i.cpuCount();
        }
        // Named fields: a field added to RunInfo later is carried from the first input until merged here.
        return first.toBuilder()
                .gitDirty(anyGit ? dirty : null)
                .startTime(start)
                .host(joined(inputs, r -> r.run().host()))
                .os(joined(inputs, r -> r.run().os()))
                // Shards drive one load together, so their processors add; runs repeat on one machine.
                .cpuCount(mode == Mode.SHARDS ? cpus : first.cpuCount())
                .jvm(joined(inputs, r -> r.run().jvm()))
                .shard("merged " + inputs.size() + " " + mode.json())
                // The busiest start: a merge of one busy run and quiet ones still says other work
                // may explain a change.
                .loadAverage(inputs.stream()
                        .map(r -> r.run().loadAverage())
                        .filter(Objects::nonNull)
                        .max(Double::compare)
                        .orElse(null))
                // One transport when all inputs agree; a mix is no single transport.
                .transport(agreed(inputs, RunInfo::transport))
                .jitPriority(agreed(inputs, RunInfo::jitPriority))
                .jvmWarmup(agreed(inputs, RunInfo::jvmWarmup))
                .cpuSplit(agreed(inputs, RunInfo::cpuSplit))
                .harnessBuild(builds(inputs))
                .build();
    }

    /**
     * The inputs' harness build: the one they agree on, else the distinct builds joined (an input
     * that predates the field as {@code unrecorded}), so that a merge of two builds matches neither;
     * {@code null} when no input recorded one.
     */
    private static String builds(List<RunResult> inputs) {
        if (inputs.stream().allMatch(r -> r.run().harnessBuild() == null)) {
            return null;
        }
        return joined(inputs, r -> Objects.requireNonNullElse(r.run().harnessBuild(), "unrecorded"));
    }

    /** The inputs' common value of a run field, or {@code null} when they differ. */
    private static String agreed(List<RunResult> inputs, java.util.function.Function<RunInfo, String> field) {
        return inputs.stream().map(r -> field.apply(r.run())).distinct().count() == 1
                ? field.apply(inputs.get(0).run())
                : null;
    }

    private static TargetInfo mergeTarget(List<RunResult> inputs) {
        TargetInfo first = inputs.get(0).target();
        boolean simulated = inputs.stream().anyMatch(r -> r.target().simulated());
        return new TargetInfo(
                first.url(), first.api(), first.model(), first.serverVersion(), simulated, mergeDescription(inputs));
    }

    /**
     * What the servers said about themselves, kept so that a merged file compares with its inputs
     * as the same environment: each key's value where every input agrees, the distinct values
     * joined where they do not (so that it differs from any single input's), {@code null} when no
     * input recorded one.
     */
    private static Map<String, String> mergeDescription(List<RunResult> inputs) {
        Set<String> keys = new LinkedHashSet<>();
        inputs.forEach(r -> keys.addAll(description(r).keySet()));
        if (keys.isEmpty()) {
            return null;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (String key : keys) {
            merged.put(key, joined(inputs, r -> description(r).get(key)));
        }
        return merged;
    }

    private static Map<String, String> description(RunResult r) {
        return r.target().description() == null ? Map.of() : r.target().description();
    }

    /** The distinct values in input order, joined with {@code ", "}. */
    private static String joined(List<RunResult> inputs, Function<RunResult, String> field) {
        Set<String> values = new LinkedHashSet<>();
        for (RunResult r : inputs) {
            values.add(String.valueOf(field.apply(r)));
        }
        return values.size() == 1 ? field.apply(inputs.get(0)) : String.join(", ", values);
    }

    private static List<String> environmentDifferences(List<RunResult> inputs, List<String> sources) {
        Map<String, Function<RunResult, Object>> fields = new LinkedHashMap<>();
        fields.put("run.harnessVersion", r -> r.run().harnessVersion());
        fields.put("run.harnessBuild", r -> r.run().harnessBuild());
        fields.put("run.gitCommit", r -> r.run().gitCommit());
        fields.put("run.host", r -> r.run().host());
        fields.put("run.os", r -> r.run().os());
        fields.put("run.cpuCount", r -> r.run().cpuCount());
        fields.put("run.jvm", r -> r.run().jvm());
        fields.put("target.url", r -> r.target().comparableUrl());
        fields.put("target.api", r -> r.target().api());
        fields.put("target.model", r -> r.target().model());
        fields.put("target.serverVersion", r -> r.target().serverVersion());
        fields.put("target.simulated", r -> r.target().simulated());
        Set<String> described = new java.util.TreeSet<>();
        inputs.forEach(r -> described.addAll(description(r).keySet()));
        // A different engine build or simulator option line: runs of different servers.
        for (String key : described) {
            fields.put("target.description." + key, r -> description(r).get(key));
        }
        List<String> differences = new ArrayList<>();
        fields.forEach((name, field) -> {
            Set<Object> values = new LinkedHashSet<>();
            inputs.forEach(r -> values.add(field.apply(r)));
            if (values.size() > 1) {
                List<String> each = new ArrayList<>();
                for (int i = 0; i < inputs.size(); i++) {
                    each.add(field.apply(inputs.get(i)) + " (" + sources.get(i) + ")");
                }
                differences.add(name + ": " + String.join(", ", each));
            }
        });
        return differences;
    }
}
