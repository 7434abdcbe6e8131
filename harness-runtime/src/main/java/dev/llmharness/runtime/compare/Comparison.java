package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.Direction;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFitness;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Compares result files of a base and a contender; the method is described in {@code
 * docs/compare.md}.
 *
 * <p>Several files on one side are replicate runs: point estimates pool them (as {@code llmh merge
 * --mode runs} would). With several runs on both sides, the interval of a percentile comes from the
 * runs' own percentiles, floored by how far one request's rank moves the percentile and by the
 * histogram's resolution ({@link RunLevelInterval}); throughput and the error rate from each run's own rate,
 * floored by one event's share. With one run on a side, the bootstrap resamples a percentile's
 * requests (and a side of several runs as runs, then requests), throughput comes from batches of
 * the per-second timeline ({@link RateBatches}), and the report says the interval is optimistic.
 * A gated percentile that the base predicts it cannot decide is gated on a lower one ({@link
 * MetricComparison#gatedOn}).
 */
public final class Comparison {
    /**
     * Below this many expected samples beyond a percentile ({@code n * min(p, 1 - p)}), a bootstrap
     * interval of the percentile is unreliable: about 3.7 gives the 370 requests usually asked for
     * p99.
     */
    static final double MIN_SAMPLES_BEYOND_PERCENTILE = 3.7;

    /** Throughput intervals need at least this many seconds of per-second timeline per run. */
    static final int MIN_TIMELINE_SECONDS = 10;

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private Comparison() {}

    /**
     * Reads the files, checks that they can be compared ({@link CompareInputs}: one schema version,
     * every file with trials, the runs of a side with the same trials, every shared metric in the
     * same units) and compares them; the files name themselves in errors and the report. What
     * {@code llmh compare} does.
     *
     * @throws dev.llmharness.runtime.result.ResultFormatException one line naming the file(s)
     */
    public static ComparisonReport compareFiles(List<Path> base, List<Path> contender, CompareOptions options) {
        List<RunResult> b = new ArrayList<>();
        List<RunResult> c = new ArrayList<>();
        base.forEach(p -> b.add(ResultJson.read(p)));
        contender.forEach(p -> c.add(ResultJson.read(p)));
        List<String> bs = base.stream().map(Path::toString).toList();
        List<String> cs = contender.stream().map(Path::toString).toList();
        CompareInputs.requireComparable(b, bs, c, cs);
        return compare(b, bs, c, cs, options);
    }

    /** Compares results held in memory, labelled {@code base #1}, {@code contender #1}... */
    public static ComparisonReport compare(List<RunResult> base, List<RunResult> contender, CompareOptions options) {
        return compare(base, labels("base", base.size()), contender, labels("contender", contender.size()), options);
    }

    /**
     * Compares results.
     *
     * @param base one or more base results (several = replicate runs)
     * @param baseSources a name per base result, used in messages
     * @param contender one or more contender results
     * @param contenderSources a name per contender result
     * @param options how to compare
     * @throws ResultFormatException naming the source when a histogram does not decode, or the
     *     field when the runs of a side were made against different configurations (unless {@link
     *     CompareOptions#mixedRuns()})
     * @throws IllegalArgumentException when a side is empty
     */
    public static ComparisonReport compare(
            List<RunResult> base,
            List<String> baseSources,
            List<RunResult> contender,
            List<String> contenderSources,
            CompareOptions options) {
        if (base.isEmpty() || contender.isEmpty()) {
            throw new IllegalArgumentException("compare needs at least one base and one contender result file");
        }
        if (base.size() != baseSources.size() || contender.size() != contenderSources.size()) {
            throw new IllegalArgumentException("one source name per result");
        }
        Side b = new Side("base", base, baseSources);
        Side c = new Side("contender", contender, contenderSources);
        List<String> warnings = new ArrayList<>();
        requireOneConfiguration(b, options, warnings);
        requireOneConfiguration(c, options, warnings);
        b.warnAboutUnfitRuns(warnings);
        c.warnAboutUnfitRuns(warnings);
        if (base.size() == 1 || contender.size() == 1) {
            warnings.add((base.size() == 1 && contender.size() == 1 ? "one run per side" : "one run on a side")
                    + ": the intervals cover request-to-request variation only, not run-to-run variation (machine"
                    + " load, server state), so they are optimistic; give each side several runs (llmh gate --forks"
                    + " N, @Fork(N), or -Dllmh.forks=N in the bench profile) for intervals that include it");
        }
        List<String> differences = environmentDifferences(b, c);
        warnAboutBusyMachines(b, c, warnings);
        warnAboutBusyHarnessThreads(b, c, warnings);
        List<MetricKey> keys = options.metrics().stream().map(MetricKey::parse).toList();

        List<TrialComparison> trials = new ArrayList<>();
        List<String> onlyInBase = new ArrayList<>();
        for (String id : b.trialIds()) {
            if (!c.hasTrial(id)) {
                onlyInBase.add(id);
                continue;
            }
            TrialResult first = b.trials(id).get(0).trial();
            List<String> trialWarnings = new ArrayList<>();
            // The trial's set-up side against side (load, workload, seed, phases...): TrialFields.
            TrialFields.compare(
                    id,
                    b.trials(id).stream().map(SourcedTrial::trial).toList(),
                    c.trials(id).stream().map(SourcedTrial::trial).toList(),
                    differences,
                    trialWarnings);
            List<MetricComparison> metrics = new ArrayList<>();
            List<String> names = keys.stream().map(MetricKey::name).toList();
            for (MetricKey key : keys) {
                MetricComparison m = compareMetric(id, key, b, c, options, trialWarnings);
                Fallback fallback = m.gated() ? decidableFallback(id, key, m, b, c, options) : null;
                if (fallback == null) {
                    metrics.add(m);
                    continue;
                }
                // A gated percentile that the sample, or the base's spread, cannot decide is gated on
                // one it can, said in words in both rows.
                String instead = fallback.key().name();
                metrics.add(m.replacedBy(
                        instead,
                        "gated on " + instead + " instead" + (fallback.spread() ? " (" + fallback.why() + ")" : "")));
                if (!names.contains(instead) || !options.gates(instead, b.loadModel(id))) {
                    metrics.add(compareMetric(id, fallback.key(), b, c, options, trialWarnings)
                            .asGated()
                            .noted("gated in place of " + key.name() + " (" + fallback.why() + "): "));
                }
            }
            metrics.addAll(dev.llmharness.runtime.observe.CostComparison.rows(
                    metrics, first.cost(), c.trials(id).get(0).trial().cost()));
            trials.add(new TrialComparison(
                    id,
                    first.benchmark(),
                    first.params(),
                    b.loadModel(id),
                    harnessLimitChecked(id, dedupe(metrics), b, c, options),
                    trialWarnings));
        }
        trials = poolErrorRates(trials, b, c, options);
        List<String> onlyInContender =
                c.trialIds().stream().filter(id -> !b.hasTrial(id)).toList();
        return new ComparisonReport(
                ComparisonReport.SCHEMA_VERSION,
                baseSources,
                contenderSources,
                options.seed(),
                options.resamples(),
                options.confidence(),
                options.strict(),
                summarise(trials),
                trials,
                onlyInBase,
                onlyInContender,
                differences,
                warnings);
    }

    /**
     * The id of the row that pools the requests of every trial in common, for the error rate: one
     * trial of a short run has too few requests to decide a 0.5-point change, the whole run has.
     */
    public static final String ALL_TRIALS = "all trials";

    /**
     * Adds the {@link #ALL_TRIALS} error-rate row, gated when a trial gates the error rate, and
     * gates a trial's own error rate there instead when that trial could not decide it. A trial
     * whose error rate is decided (a REGRESSION, say) stays gated on its own.
     */
    private static List<TrialComparison> poolErrorRates(
            List<TrialComparison> trials, Side b, Side c, CompareOptions options) {
        boolean gated = trials.stream()
                .flatMap(t -> t.metrics().stream())
                .anyMatch(m -> m.gated() && m.metric().equals(MetricKey.ERROR_RATE));
        if (trials.size() < 2 || !gated) {
            return trials;
        }
        long[] bc = new long[2];
        long[] cc = new long[2];
        List<TrialComparison> out = new ArrayList<>();
        for (TrialComparison t : trials) {
            long[] bt = b.failedAndTotal(t.id());
            long[] ct = c.failedAndTotal(t.id());
            for (int i = 0; i < 2; i++) {
                bc[i] += bt[i];
                cc[i] += ct[i];
            }
            List<MetricComparison> metrics = t.metrics().stream()
                    .map(m -> m.metric().equals(MetricKey.ERROR_RATE) && m.gateUndecided()
                            ? m.ungated("gated over all trials instead")
                            : m)
                    .toList();
            out.add(new TrialComparison(t.id(), t.benchmark(), t.params(), t.loadModel(), metrics, t.warnings()));
        }
        MetricKey key = MetricKey.parse(MetricKey.ERROR_RATE);
        double threshold = options.thresholdOf(key.name());
        MetricComparison pooled = widenedByRuns(
                        errorRateVerdict(key, bc, cc, options, threshold, true),
                        key,
                        pooledRunRates(trials, b),
                        pooledRunRates(trials, c),
                        options,
                        threshold,
                        true)
                .noted("the requests of all " + trials.size() + " trials pooled: ");
        out.add(new TrialComparison(ALL_TRIALS, ALL_TRIALS, Map.of(), null, List.of(pooled), List.of()));
        return out;
    }

    private static List<String> labels(String side, int n) {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            labels.add(side + " #" + i);
        }
        return labels;
    }

    private static ComparisonReport.Summary summarise(List<TrialComparison> trials) {
        int gatedRegressions = 0;
        int gatedInconclusive = 0;
        int gatedElsewhere = 0;
        int[] byVerdict = new int[Verdict.values().length];
        int compared = 0;
        for (TrialComparison t : trials) {
            compared += t.id().equals(ALL_TRIALS) ? 0 : 1;
            for (MetricComparison m : t.metrics()) {
                byVerdict[m.verdict().ordinal()]++;
                if (m.gated() && m.verdict() == Verdict.REGRESSION) {
                    gatedRegressions++;
                }
                if (m.gateUndecided()) {
                    gatedInconclusive++;
                }
                if (m.gatedElsewhere()) {
                    gatedElsewhere++;
                }
            }
        }
        return new ComparisonReport.Summary(
                compared,
                gatedRegressions,
                gatedInconclusive,
                byVerdict[Verdict.REGRESSION.ordinal()],
                byVerdict[Verdict.IMPROVEMENT.ordinal()],
                byVerdict[Verdict.NO_CHANGE.ordinal()],
                byVerdict[Verdict.INCONCLUSIVE.ordinal()],
                gatedElsewhere);
    }

    // ---------------------------------------------------------------- metrics

    private static MetricComparison compareMetric(
            String id, MetricKey key, Side b, Side c, CompareOptions options, List<String> warnings) {
        double threshold = options.thresholdOf(key.name());
        boolean gated = options.gates(key.name(), b.loadModel(id));
        switch (key.kind()) {
            case PERCENTILE:
                RandomDraws draws = new RandomDraws(seedFor(options.seed(), id, key.name()));
                return harnessLagChecked(
                        id,
                        key,
                        comparePercentile(id, key, b, c, options, threshold, gated, draws, warnings),
                        b,
                        c,
                        options);
            case ERROR_RATE:
                return compareErrorRate(id, key, b, c, options, threshold, gated);
            default:
                return compareThroughput(id, key, b, c, options, threshold, gated);
        }
    }

    /**
     * TTFT counts from the intended start, so it includes the harness's own dispatch lag: a busy
     * machine delays sends and looks like a slower server. When a TTFT percentile changes beyond
     * its threshold but the same percentile of TTFT from the send does not, and no request waited
     * for an in-flight slot (when one did, the server's slowness delays sends too), the change is
     * the harness's: the verdict becomes INCONCLUSIVE, saying so.
     */
    private static MetricComparison harnessLagChecked(
            String id, MetricKey key, MetricComparison m, Side b, Side c, CompareOptions options) {
        boolean changed = m.verdict() == Verdict.REGRESSION || m.verdict() == Verdict.IMPROVEMENT;
        if (!changed || key.metric() != Metric.TTFT || b.delayedStarts(id) > 0 || c.delayedStarts(id) > 0) {
            return m;
        }
        MetricComparison sent = fromSend(id, key, m.threshold(), b, c, options);
        if (sent == null) {
            return m;
        }
        if (sent.verdict() == m.verdict()) {
            return m;
        }
        return m.withVerdict(
                Verdict.INCONCLUSIVE,
                m.reason() + ", but " + sent.metric() + " (from the send) is "
                        + sent.verdict().label()
                        + ": the harness's own dispatch lag (a busy machine), not the server, may explain the"
                        + " change; rerun on a quieter machine or with more runs");
    }

    /**
     * A run in which the harness marked this trial harness-limited ({@link
     * dev.llmharness.runtime.result.HarnessLimit}: too many requests started late, and their lateness
     * moved its figures) measured the load generator as much as the server on every metric that late
     * sends move ({@link #movedByLateSends}): they look worse. So a REGRESSION of such a metric whose
     * contender has such a run of the trial, and an IMPROVEMENT whose base has one, may be the
     * machine's doing (a busy CI runner against a baseline recorded on a quiet one): the verdict
     * becomes INCONCLUSIVE, naming the runs, and a gated one counts as undecided, unless the late
     * sends cannot explain it ({@link #beyondTheLag}): then it stands, and its reason says why. A
     * change the other way stands: a limited base can hide a regression, not invent one. {@link
     * #harnessLagChecked} asks the finer question of TTFT alone (whether TTFT from the send moved
     * too) on any run.
     */
    private static List<MetricComparison> harnessLimitChecked(
            String id, List<MetricComparison> rows, Side b, Side c, CompareOptions options) {
        List<String> limitedBase = b.limitedRuns(id);
        List<String> limitedContender = c.limitedRuns(id);
        if (limitedBase.isEmpty() && limitedContender.isEmpty()) {
            return rows;
        }
        List<MetricComparison> checked = new ArrayList<>();
        for (MetricComparison m : rows) {
            MetricKey key = MetricKey.parse(m.metric());
            if (!movedByLateSends(key)) {
                checked.add(m);
                continue;
            }
            boolean regression = m.verdict() == Verdict.REGRESSION;
            List<String> limited =
                    regression ? limitedContender : m.verdict() == Verdict.IMPROVEMENT ? limitedBase : List.of();
            if (limited.isEmpty()) {
                checked.add(m);
                continue;
            }
            String runs = String.join(" and ", limited) + (limited.size() == 1 ? " is" : " are");
            String beyond = beyondTheLag(id, key, m, regression ? c : b, b, c, options);
            if (beyond != null) {
                checked.add(m.withVerdict(
                        m.verdict(), m.reason() + "; it stands although " + runs + " harness-limited here: " + beyond));
                continue;
            }
            checked.add(m.withVerdict(
                    Verdict.INCONCLUSIVE,
                    m.reason() + ", but " + runs
                            + " harness-limited here: the harness falling behind, not the server, may"
                            + " explain a " + (regression ? "worse" : "better") + " figure; rerun on a quieter"
                            + " machine"));
        }
        return checked;
    }

    /**
     * Why the late sends of a harness-limited side cannot explain the verdict {@code m}, in words,
     * or {@code null} when they may. Two reasons, the first that applies:
     *
     * <ul>
     *   <li>a TTFT percentile whose same percentile of TTFT from the send (which no late send
     *       moves) has the same verdict: the server itself changed beyond the threshold;
     *   <li>the interval is beyond the threshold by more than the late sends could move the
     *       metric in any run of the limited side ({@link Side#lagReach}): for TTFT and E2E, the
     *       TTFT shift recorded with the mark (the most the dispatch lag raised the run's TTFT
     *       percentiles; an E2E, longer, moves by a smaller share of itself); for throughput, the
     *       run's mean dispatch lag over its mean E2E without it (the share of a worker's time a
     *       late send leaves idle). Beyond means: with t the threshold and r that reach, the
     *       interval's better end is worse than (1 + t)(1 + r) for a REGRESSION, its worse end
     *       better than 1 / ((1 + t)(1 + r)) for an IMPROVEMENT. An unknown reach (a file written
     *       before the shift was recorded) explains anything.
     * </ul>
     */
    private static String beyondTheLag(
            String id, MetricKey key, MetricComparison m, Side limited, Side b, Side c, CompareOptions options) {
        if (key.kind() == MetricKey.Kind.PERCENTILE && key.metric() == Metric.TTFT) {
            MetricComparison sent = fromSend(id, key, m.threshold(), b, c, options);
            if (sent != null && sent.verdict() == m.verdict()) {
                return sent.metric() + " (from the send, which late sends do not move) is "
                        + sent.verdict().label() + " too: the server changed";
            }
        }
        Double reach = limited.lagReach(id, key);
        if (reach == null || m.changeLow() == null || m.changeHigh() == null || "difference".equals(m.changeKind())) {
            return null;
        }
        boolean lowerIsBetter = m.direction() == Direction.LOWER_IS_BETTER;
        double badLow = lowerIsBetter ? 1 + m.changeLow() : 1 / (1 + m.changeHigh());
        double badHigh = lowerIsBetter ? 1 + m.changeHigh() : 1 / (1 + m.changeLow());
        double excuse = (1 + m.threshold()) * (1 + reach);
        boolean beyond = m.verdict() == Verdict.REGRESSION ? badLow > excuse : badHigh < 1 / excuse;
        if (!beyond) {
            return null;
        }
        return "the whole interval is beyond the " + percent(m.threshold()) + " threshold by more than the "
                + percentOneDecimal(reach) + " the late sends could move "
                + (key.kind() == MetricKey.Kind.PERCENTILE ? key.metric().key() : "throughput") + " in the "
                + limited.name + "'s runs";
    }

    /**
     * The same percentile of TTFT from the send as the TTFT percentile {@code key}, compared against
     * {@code threshold} and never gated; {@code null} when a side has no such histogram.
     */
    private static MetricComparison fromSend(
            String id, MetricKey key, double threshold, Side b, Side c, CompareOptions options) {
        MetricKey fromSend = MetricKey.parse(Metric.TTFT_FROM_SEND.key() + ".p" + format(key.percentile()));
        if (!b.hasHistogram(id, fromSend.histogram()) || !c.hasHistogram(id, fromSend.histogram())) {
            return null;
        }
        return comparePercentile(
                id,
                fromSend,
                b,
                c,
                options,
                threshold,
                false,
                new RandomDraws(seedFor(options.seed(), id, fromSend.name())),
                new ArrayList<>());
    }

    /**
     * Whether sends later than the load asked move the metric, which is what the harness-limited
     * mark measures (dispatch lag, and the TTFT it raised): latencies timed from the intended start
     * (TTFT, E2E), and throughput (a closed loop's late send leaves its worker idle). Not TPOT and
     * ITL, timed between a request's own tokens, nor the error rate: a harness that reads late on a
     * busy core moves those, but the mark does not measure it, and a GC pause that marks a trial
     * leaves a 20 % slower token rate a regression.
     */
    private static boolean movedByLateSends(MetricKey key) {
        return switch (key.kind()) {
            case PERCENTILE -> key.metric() == Metric.TTFT || key.metric() == Metric.E2E;
            case OUTPUT_TOKENS_PER_SECOND, REQUESTS_PER_SECOND -> true;
            case ERROR_RATE -> false;
        };
    }

    /** One row per metric name: a gated row (a fallback) wins over an ungated one of the same name. */
    private static List<MetricComparison> dedupe(List<MetricComparison> rows) {
        Map<String, MetricComparison> byName = new LinkedHashMap<>();
        for (MetricComparison m : rows) {
            MetricComparison seen = byName.get(m.metric());
            if (seen == null || (m.gated() && !seen.gated())) {
                byName.put(m.metric(), m);
            }
        }
        return new ArrayList<>(byName.values());
    }

    /**
     * A percentile gated in place of another.
     *
     * @param key the percentile gated instead
     * @param why why, in words, for the report
     * @param spread whether the base's spread, not the sample size, decided it
     */
    private record Fallback(MetricKey key, String why, boolean spread) {}

    /**
     * The percentile to gate in place of a gated one that cannot be decided, or {@code null} to
     * keep it. Two causes, candidates the highest of p90 and p50 below it:
     *
     * <ul>
     *   <li>too few samples: the gated percentile was INCONCLUSIVE for want of samples; the first
     *       candidate that both sides have enough samples for (and, with several runs a side, whose
     *       predicted interval is decidable, when one is);
     *   <li>the base's spread: the interval that the base predicts for a comparison with a
     *       contender like it ({@link #baseSpread}: from its runs' spread with several runs a side,
     *       from its requests where they are sparse around the percentile, or with one run) is too
     *       wide to decide against the threshold ({@link RunLevelInterval#decidable}: such a
     *       comparison would leave it undecided in more than one case in five); the first
     *       candidate whose predicted interval is decidable, else the candidate likeliest to be
     *       decided when it is likelier than the gated percentile ({@link Spread#margin}), else
     *       none.
     * </ul>
     *
     * The spread, and the sample counts behind its choice, are read from the base side only, never
     * from the contender, so that which statistic is gated cannot depend on the change being
     * judged: a contender that moved the gated percentile a lot and one that did not get the same
     * choice.
     */
    private static Fallback decidableFallback(
            String id, MetricKey key, MetricComparison m, Side b, Side c, CompareOptions options) {
        if (key.kind() != MetricKey.Kind.PERCENTILE || key.percentile() <= 50) {
            return null; // no candidate below it
        }
        boolean tooFew = m.verdict() == Verdict.INCONCLUSIVE && m.reason().startsWith(TOO_FEW_SAMPLES);
        boolean runLevel = b.trials(id).size() >= 2 && c.trials(id).size() >= 2;
        // The spread's choice counts the base's samples only: a closed-loop contender's count moves
        // with its speed, the change being judged.
        long n = tooFew ? Math.min(m.baseSamples(), m.contenderSamples()) : m.baseSamples();
        String spreadWhy = null;
        // Failing a decidable candidate, the one most likely to be decided (the widest margin of its
        // threshold over its predicted half-width), when it is likelier than the gated one.
        MetricKey likeliest = null;
        double bestMargin = 0;
        if (!tooFew) {
            if (n < samplesNeeded(key.percentile())) {
                return null;
            }
            Spread predicted = baseSpread(id, key, b, options, runLevel);
            double threshold = options.thresholdOf(key.name());
            if (predicted == null || predicted.fits(threshold)) {
                return null;
            }
            spreadWhy = predicted.why(key, threshold);
            bestMargin = predicted.margin(threshold);
        }
        for (double p : new double[] {90, 50}) {
            if (p >= key.percentile() || n < samplesNeeded(p)) {
                continue;
            }
            MetricKey candidate = key.atPercentile(p);
            if (runLevel || !tooFew) {
                Spread predicted = baseSpread(id, candidate, b, options, runLevel);
                if (predicted == null) {
                    continue;
                }
                double threshold = options.thresholdOf(candidate.name());
                if (!predicted.runsFit(threshold)) {
                    if (predicted.runsMargin(threshold) > bestMargin) {
                        likeliest = candidate;
                        bestMargin = predicted.runsMargin(threshold);
                    }
                    continue;
                }
            }
            return tooFew
                    ? new Fallback(candidate, key.name() + " needs more samples than these runs have", false)
                    : new Fallback(candidate, spreadWhy, true);
        }
        if (!tooFew) {
            return likeliest == null ? null : new Fallback(likeliest, spreadWhy, true);
        }
        // Too few samples and no candidate that fits the base's spread: the highest that has the
        // samples, as with one run a side.
        for (double p : new double[] {90, 50}) {
            if (p < key.percentile() && n >= samplesNeeded(p)) {
                return new Fallback(
                        key.atPercentile(p), key.name() + " needs more samples than these runs have", false);
            }
        }
        return null;
    }

    /**
     * What the base predicts for a comparison of the percentile with a contender like the base: the
     * half-width ({@link RunLevelInterval#predictedHalfWidth}, on the log scale) from each of two
     * variances of the base's mean log percentile; {@code null} when the base has no samples.
     *
     * <ul>
     *   <li>{@code runs}: with several runs a side, the variance the comparison itself uses ({@link
     *       SideSamples#logVariance}), the runs' own spread with its floors; with one run on a
     *       side, the comparison resamples requests, and this is the requests' variance below;
     *   <li>{@code requests}: one run's request-level bootstrap variance of its log percentile
     *       ({@link PercentileBootstrap#logVarianceOfRun}), averaged over the runs and not divided by
     *       their number. Runs that replay one seeded workload do not redraw their requests, so this
     *       is not the run-level comparison's variance: it says how far the percentile moves when a
     *       few requests change rank, which is far where the requests around it are sparse (a tail,
     *       a gap between two groups of requests). Two or three runs that happen to agree there do
     *       not show it, and a contender's runs that split across such a gap then leave the
     *       percentile undecided in an A/A comparison. Like the rank floor it is not divided by the
     *       runs: runs that replay one workload move together.
     * </ul>
     *
     * Both use the quantile of the comparison they predict ({@link
     * RunLevelInterval#predictionQuantile}): Student's t for a run-level one, the normal one when
     * requests are resampled.
     */
    private static Spread baseSpread(String id, MetricKey key, Side b, CompareOptions options, boolean runLevel) {
        SideSamples bs = b.percentileSamples(id, key, new ArrayList<>());
        if (bs == null) {
            return null;
        }
        int runs = bs.bootstrap.runs();
        runLevel = runLevel && runs >= 2;
        RandomDraws draws = new RandomDraws(seedFor(options.seed(), id, key.name() + " spread"));
        double requestVariance = 0;
        for (int r = 0; r < runs; r++) {
            requestVariance += bs.bootstrap.logVarianceOfRun(r, draws, options.resamples());
        }
        requestVariance /= runs;
        double q = RunLevelInterval.predictionQuantile(runs, runLevel, options.confidence());
        return new Spread(
                RunLevelInterval.predictedHalfWidth(runLevel ? bs.logVariance() : requestVariance, q),
                RunLevelInterval.predictedHalfWidth(requestVariance, q),
                q,
                runLevel);
    }

    /**
     * A base's predicted half-widths for one percentile ({@link #baseSpread}), on the log scale,
     * >= 0.
     *
     * @param runs from the variance the comparison uses
     * @param requests from one run's request-level variance
     * @param quantile the quantile both were predicted with
     * @param runLevel whether the comparison is run-level (else {@code runs} is the requests' too)
     */
    private record Spread(double runs, double requests, double quantile, boolean runLevel) {
        /**
         * Whether the percentile can stay gated: the comparison's own predicted interval is
         * decidable, and the requests' is within the threshold. The requests' prediction is not
         * the comparison's interval (runs that replay one workload do not redraw their requests):
         * it flags a percentile in sparse requests, as the rule before decidability did, and held
         * to the decidability bar it ungated p90s that comparisons decided (on the stored series,
         * dolly's and poisson's ttft.p90 at a predicted ±7 to ±9 %).
         */
        boolean fits(double threshold) {
            return RunLevelInterval.decidable(runs, quantile, threshold) && requests <= Math.log1p(threshold);
        }

        /** Whether the comparison's own interval is predicted to decide: a candidate to gate instead. */
        boolean runsFit(double threshold) {
            return RunLevelInterval.decidable(runs, quantile, threshold);
        }

        /**
         * ln(1 + threshold) over the wider predicted half-width: the larger, the likelier a
         * comparison decides (its chance grows with it, whatever the threshold).
         */
        double margin(double threshold) {
            return Math.log1p(threshold) / Math.max(Math.max(runs, requests), 1e-12);
        }

        /** {@link #margin} of the comparison's own interval. */
        double runsMargin(double threshold) {
            return Math.log1p(threshold) / Math.max(runs, 1e-12);
        }

        String why(MetricKey key, double threshold) {
            if (RunLevelInterval.decidable(runs, quantile, threshold)) {
                return "the base's requests spread ±" + percentOneDecimal(Math.expm1(requests)) + " at " + key.name()
                        + ", more than its " + percent(threshold) + " threshold";
            }
            String spread = runLevel
                    ? "the base's runs spread ±" + percentOneDecimal(Math.expm1(runs))
                    : "the base's requests spread ±" + percentOneDecimal(Math.expm1(runs));
            return spread + " at " + key.name() + ", too wide to decide against its " + percent(threshold)
                    + " threshold, which needs ±"
                    + percentOneDecimal(Math.expm1(RunLevelInterval.widestDecidable(quantile, threshold)))
                    + " at most";
        }
    }

    /** A fraction as a percentage with one decimal: {@code 14.3 %}. */
    private static String percentOneDecimal(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    /** Samples a side needs for a bootstrap interval of the percentile ({@link #MIN_SAMPLES_BEYOND_PERCENTILE}). */
    static long samplesNeeded(double percentile) {
        double tail = Math.min(percentile, 100 - percentile) / 100.0;
        return (long) Math.ceil(MIN_SAMPLES_BEYOND_PERCENTILE / tail - 1e-9);
    }

    private static final String TOO_FEW_SAMPLES = "too few samples for p";

    /** A seed per (trial, metric), so that adding a metric or trial does not change the others. */
    static long seedFor(long seed, String trialId, String metric) {
        long z = seed + 0x9E3779B97F4A7C15L * (31L * trialId.hashCode() + metric.hashCode());
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static MetricComparison comparePercentile(
            String id,
            MetricKey key,
            Side b,
            Side c,
            CompareOptions options,
            double threshold,
            boolean gated,
            RandomDraws draws,
            List<String> warnings) {
        SideSamples bs = b.percentileSamples(id, key, warnings);
        SideSamples cs = c.percentileSamples(id, key, warnings);
        String unit = bs != null ? bs.unit : cs != null ? cs.unit : key.unit();
        // The file says which way a distribution improves (output tokens: higher is better).
        Direction direction = bs != null ? bs.direction : cs != null ? cs.direction : key.direction();
        Double baseValue = bs == null ? null : bs.value(key.percentile());
        Double contenderValue = cs == null ? null : cs.value(key.percentile());
        long bn = bs == null ? 0 : bs.bootstrap.effectiveCount();
        long cn = cs == null ? 0 : cs.bootstrap.effectiveCount();
        Partial p = new Partial(key, gated, direction, unit, baseValue, contenderValue, threshold, bn, cn);
        if (bs == null || cs == null) {
            return p.inconclusive("no " + key.histogram() + " samples in the " + (bs == null ? "base" : "contender"));
        }
        double tail = Math.min(key.percentile(), 100 - key.percentile()) / 100.0;
        long needed = samplesNeeded(key.percentile());
        String unitOfSamples = key.metric().manyValuesPerRequest() ? "requests" : "samples";
        if (bn < needed || cn < needed) {
            boolean baseShort = bn < needed;
            return p.inconclusive(TOO_FEW_SAMPLES + format(key.percentile()) + ": the "
                    + (baseShort ? "base" : "contender") + " has " + (baseShort ? bn : cn) + " " + unitOfSamples
                    + ", at least " + needed + " are needed (n x " + format(tail) + " >= "
                    + MIN_SAMPLES_BEYOND_PERCENTILE + ")");
        }
        double ratio = ratio(contenderValue, baseValue);
        if (Double.isNaN(ratio)) {
            return p.inconclusive("the base value is 0: no ratio can be formed");
        }
        int kb = bs.bootstrap.runs();
        int kc = cs.bootstrap.runs();
        if (kb >= 2 && kc >= 2) {
            // Several runs a side: each run's own percentile is one observation; the rank and
            // resolution floors bound each side's variance from below (RunLevelInterval).
            double vb = bs.logVariance();
            double vc = cs.logVariance();
            double[] interval = RunLevelInterval.ofLogRatio(Math.log(ratio), vb, kb, vc, kc, options.confidence());
            return p.ratioVerdict(ratio, interval[0], interval[1]);
        }
        // One run on a side: requests are all the bootstrap can resample there (the report warns
        // that the interval is optimistic); a side of several runs is resampled as runs, then requests.
        double[] replicates = new double[options.resamples()];
        for (int i = 0; i < replicates.length; i++) {
            long bv = bs.bootstrap.replicate(draws);
            long cv = cs.bootstrap.replicate(draws);
            double r = ratio(cv, bv);
            replicates[i] = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
        }
        return p.ratioVerdict(ratio, replicates, options.confidence());
    }

    private static double ratio(double contender, double base) {
        if (base == 0) {
            return contender == 0 ? 1.0 : Double.NaN;
        }
        return contender / base;
    }

    private static MetricComparison compareThroughput(
            String id, MetricKey key, Side b, Side c, CompareOptions options, double threshold, boolean gated) {
        boolean tokens = key.kind() == MetricKey.Kind.OUTPUT_TOKENS_PER_SECOND;
        double baseValue = b.rate(id, tokens);
        double contenderValue = c.rate(id, tokens);
        List<long[]> baseTimelines = b.timelines(id, tokens);
        List<long[]> contenderTimelines = c.timelines(id, tokens);
        long[] baseCompletions = b.completionsInWindow(id);
        long[] contenderCompletions = c.completionsInWindow(id);
        RateBatches bb = new RateBatches(baseTimelines, null, baseCompletions);
        RateBatches cb = new RateBatches(contenderTimelines, null, contenderCompletions);
        long bn = baseTimelines.stream().mapToLong(t -> t.length).sum();
        long cn = contenderTimelines.stream().mapToLong(t -> t.length).sum();
        Partial p = new Partial(key, gated, key.direction(), key.unit(), baseValue, contenderValue, threshold, bn, cn);
        double ratio = ratio(contenderValue, baseValue);
        if (Double.isNaN(ratio)) {
            return p.inconclusive("the base rate is 0: no ratio can be formed");
        }
        int shortest = Math.min(bb.shortestSeconds(), cb.shortestSeconds());
        if (shortest < MIN_TIMELINE_SECONDS) {
            return p.inconclusive("the per-second timeline is too short to estimate throughput noise: "
                    + shortest + " s in the " + (bb.shortestSeconds() == shortest ? "base" : "contender")
                    + ", at least " + MIN_TIMELINE_SECONDS + " s are needed");
        }
        if (bb.rate() == 0 || cb.rate() == 0) {
            return p.inconclusive("the per-second timeline of the " + (bb.rate() == 0 ? "base" : "contender")
                    + " holds no events, so throughput noise cannot be estimated");
        }
        double[] baseRates = b.runRates(id, tokens);
        double[] contenderRates = c.runRates(id, tokens);
        if (baseRates.length >= 2 && contenderRates.length >= 2) {
            // Several runs a side: the spread of the runs' own rates is the noise, seconds included,
            // floored by one completion's share (runs that replay one workload agree exactly).
            double[] interval = RunLevelInterval.ofRunValues(
                    Math.log(ratio),
                    logsOverRuns(baseRates),
                    RunLevelInterval.countFloor(baseCompletions),
                    logsOverRuns(contenderRates),
                    RunLevelInterval.countFloor(contenderCompletions),
                    options.confidence());
            return p.ratioVerdict(ratio, interval[0], interval[1]);
        }
        List<long[][]> baseOffered = b.offeredTimelines(id, tokens);
        List<long[][]> contenderOffered = c.offeredTimelines(id, tokens);
        if (baseOffered != null && contenderOffered != null) {
            return shapedThroughput(p, baseOffered, baseCompletions, contenderOffered, contenderCompletions, options);
        }
        // The timeline gives the relative noise (batch means); the reported rates give the point
        // estimate.
        double[] interval = RunLevelInterval.ofVariances(
                Math.log(ratio),
                bb.logVariance(),
                bb.degreesOfFreedom(),
                cb.logVariance(),
                cb.degreesOfFreedom(),
                options.confidence());
        MetricComparison m = p.ratioVerdict(ratio, interval[0], interval[1]);
        if (b.loadVaries(id) || c.loadVaries(id)) {
            // A file written before the timeline counted starts (or in-flight time): no offer to
            // divide by, so the designed swings count as noise and the interval is wider than the
            // server's own variation.
            return m.noted("the load varies by design, but the timeline does not record what it offered each second"
                    + " (a file written before it did), so the designed swings count as noise here: ");
        }
        return m;
    }

    /**
     * Throughput of a trial whose offered load varies by design (a step, a spike, a ramp, stages,
     * a trace; workers in stages or ramped up; see {@link TrialResult.LoadInfo#offeredLoadVaries}),
     * with one run on a side: the ratio of the shares of their offers the two sides completed in
     * their windows (completions, or output tokens, per unit of offer: per intended start for an
     * open loop, per worker-second for a closed one), its interval from a block bootstrap of each
     * side's per-second (completed, offered) pairs in batches ({@link RateBatches}). Resampling raw
     * completions, as for a constant rate, would count the shape's designed swings as noise: a step
     * from 25 to 100 requests/s made the interval about 60 % wide, so a real 10 % loss read as
     * inconclusive. The change reported is that of the share, which is the throughput's when both
     * sides ran the same seeded schedule (or the same stages of workers).
     */
    private static MetricComparison shapedThroughput(
            Partial p,
            List<long[][]> base,
            long[] baseCompletions,
            List<long[][]> contender,
            long[] contenderCompletions,
            CompareOptions options) {
        RateBatches bs = new RateBatches(
                base.stream().map(r -> r[0]).toList(),
                base.stream().map(r -> r[1]).toList(),
                baseCompletions);
        RateBatches cs = new RateBatches(
                contender.stream().map(r -> r[0]).toList(),
                contender.stream().map(r -> r[1]).toList(),
                contenderCompletions);
        if (bs.rate() == 0) {
            return p.inconclusive("the base completed none of what was offered in its window: no ratio can be formed");
        }
        if (cs.rate() == 0) {
            // Nothing completed: a certain loss, as large as it gets; no log to form an interval on.
            return p.ratioVerdict(0, 0, 0);
        }
        double ratio = cs.rate() / bs.rate();
        double[] interval = RunLevelInterval.ofVariances(
                Math.log(ratio),
                bs.logVariance(),
                bs.degreesOfFreedom(),
                cs.logVariance(),
                cs.degreesOfFreedom(),
                options.confidence());
        return p.ratioVerdict(ratio, interval[0], interval[1]);
    }

    /** The logs of the runs' rates; a run with rate 0 counts as a tiny positive rate. */
    private static double[] logsOverRuns(double[] rates) {
        double[] logs = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            logs[i] = Math.log(Math.max(rates[i], 1e-9));
        }
        return logs;
    }

    private static MetricComparison compareErrorRate(
            String id, MetricKey key, Side b, Side c, CompareOptions options, double threshold, boolean gated) {
        return widenedByRuns(
                errorRateVerdict(key, b.failedAndTotal(id), c.failedAndTotal(id), options, threshold, gated),
                key,
                b.errorRates(id),
                c.errorRates(id),
                options,
                threshold,
                gated);
    }

    /** Each run's error rate over all the given trials, or none when the runs do not line up. */
    private static RunRates pooledRunRates(List<TrialComparison> trials, Side side) {
        int runs = side.trials(trials.get(0).id()).size();
        long[] failed = new long[runs];
        long[] ended = new long[runs];
        for (TrialComparison t : trials) {
            List<SourcedTrial> perRun = side.trials(t.id());
            if (perRun.size() != runs) {
                return RunRates.NONE;
            }
            for (int i = 0; i < runs; i++) {
                TrialResult.Counts c =
                        Objects.requireNonNull(perRun.get(i).trial().counts(), "counts");
                failed[i] += c.failed();
                ended[i] += c.completed() + c.failed();
            }
        }
        return RunRates.of(failed, ended);
    }

    /**
     * Each run's error rate and the requests that ended in it, runs with none left out.
     *
     * @param rates failed / ended of each run, in [0, 1]
     * @param ended the requests that ended (completed or failed) in each run, for the count floor
     */
    private record RunRates(double[] rates, long[] ended) {
        static final RunRates NONE = new RunRates(new double[0], new long[0]);

        static RunRates of(long[] failed, long[] ended) {
            List<Double> rates = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < failed.length; i++) {
                if (ended[i] > 0) {
                    rates.add((double) failed[i] / ended[i]);
                    counts.add(ended[i]);
                }
            }
            return new RunRates(
                    rates.stream().mapToDouble(Double::doubleValue).toArray(),
                    counts.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /**
     * The error-rate verdict {@code m} with its interval widened to the run-level one when both
     * sides have several runs: runs differ by more than their requests do when the machine or the
     * server's state changes between them, so the interval is the wider of the request-level
     * (Newcombe) and the run-level (Welch on each run's rate, floored by one failure's share of a
     * run, {@link RunLevelInterval#countFloor}) ones.
     */
    private static MetricComparison widenedByRuns(
            MetricComparison m,
            MetricKey key,
            RunRates br,
            RunRates cr,
            CompareOptions options,
            double threshold,
            boolean gated) {
        if (br.rates().length < 2 || cr.rates().length < 2 || m.change() == null || m.changeLow() == null) {
            return m;
        }
        double[] runs = RunLevelInterval.ofRunDifferences(
                m.change(),
                br.rates(),
                RunLevelInterval.countFloor(br.ended()),
                cr.rates(),
                RunLevelInterval.countFloor(cr.ended()),
                options.confidence());
        double low = Math.min(m.changeLow(), runs[0]);
        double high = Math.max(m.changeHigh(), runs[1]);
        if (low == m.changeLow() && high == m.changeHigh()) {
            return m;
        }
        Partial p = new Partial(
                key,
                gated,
                key.direction(),
                key.unit(),
                m.base(),
                m.contender(),
                threshold,
                m.baseSamples(),
                m.contenderSamples());
        return p.differenceVerdict(m.change(), low, high).noted("run-to-run variation widens the interval: ");
    }

    /** The error-rate verdict from {failed, total} of each side. */
    private static MetricComparison errorRateVerdict(
            MetricKey key, long[] bc, long[] cc, CompareOptions options, double threshold, boolean gated) {
        Double baseValue = bc[1] == 0 ? null : (double) bc[0] / bc[1];
        Double contenderValue = cc[1] == 0 ? null : (double) cc[0] / cc[1];
        Partial p = new Partial(
                key, gated, key.direction(), key.unit(), baseValue, contenderValue, threshold, bc[1], cc[1]);
        if (baseValue == null || contenderValue == null) {
            return p.inconclusive(
                    "the " + (baseValue == null ? "base" : "contender") + " has no completed or failed requests");
        }
        double[] interval = ProportionInterval.newcombeDifference(
                bc[0], bc[1], cc[0], cc[1], ProportionInterval.zFor(options.confidence()));
        return p.differenceVerdict(contenderValue - baseValue, interval[0], interval[1]);
    }

    /** What every verdict of one metric shares, and the verdict rules. */
    private record Partial(
            MetricKey key,
            boolean gated,
            Direction direction,
            String unit,
            Double base,
            Double contender,
            double threshold,
            long baseSamples,
            long contenderSamples) {

        MetricComparison inconclusive(String reason) {
            Double change = null;
            if (base != null && contender != null) {
                // Not one conditional expression: "double : Double" would unbox the null of a zero base.
                if (key.comparesAsDifference()) {
                    change = contender - base;
                } else if (base != 0) {
                    change = contender / base - 1;
                }
            }
            return build(change, null, null, Verdict.INCONCLUSIVE, reason);
        }

        /**
         * Ratio rule, symmetric on a log scale: with t the threshold, REGRESSION when the whole
         * interval is worse than a factor 1 + t, IMPROVEMENT when it is all better than 1 / (1 + t),
         * NO CHANGE when it lies between the two, else INCONCLUSIVE.
         */
        MetricComparison ratioVerdict(double ratio, double[] replicates, double confidence) {
            Arrays.sort(replicates);
            double alpha = (1 - confidence) / 2;
            return ratioVerdict(ratio, quantile(replicates, alpha), quantile(replicates, 1 - alpha));
        }

        /** The ratio rule on an interval {@code [low, high]} of the ratio contender / base. */
        MetricComparison ratioVerdict(double ratio, double low, double high) {
            // "Badness": above 1 is worse, whichever way the metric improves.
            boolean lowerIsBetter = direction == Direction.LOWER_IS_BETTER;
            double badLow = lowerIsBetter ? low : 1 / high;
            double badHigh = lowerIsBetter ? high : 1 / low;
            double worse = 1 + threshold;
            double better = 1 / (1 + threshold);
            String t = percent(threshold);
            Verdict verdict;
            String reason;
            if (badLow > worse) {
                verdict = Verdict.REGRESSION;
                reason = "the whole interval is worse than the " + t + " threshold";
            } else if (badHigh < better) {
                verdict = Verdict.IMPROVEMENT;
                reason = "the whole interval is better than the " + t + " threshold";
            } else if (badLow >= better && badHigh <= worse) {
                verdict = Verdict.NO_CHANGE;
                reason = "the interval lies within the " + t + " noise threshold";
            } else if (badHigh <= worse) {
                verdict = Verdict.INCONCLUSIVE;
                reason = "the interval straddles the " + t + " improvement threshold only: no regression beyond " + t;
            } else {
                verdict = Verdict.INCONCLUSIVE;
                reason = "the interval straddles the " + t + " threshold: more samples or runs are needed";
            }
            return build(ratio - 1, low - 1, high - 1, verdict, reason);
        }

        /** Difference rule (error rate): the interval of contender - base against +-threshold. */
        MetricComparison differenceVerdict(double difference, double low, double high) {
            String t = percentagePoints(threshold);
            Verdict verdict;
            String reason;
            if (low > threshold) {
                verdict = Verdict.REGRESSION;
                reason = "the whole interval is above the " + t + " threshold";
            } else if (high < -threshold) {
                verdict = Verdict.IMPROVEMENT;
                reason = "the whole interval is below the -" + t + " threshold";
            } else if (low >= -threshold && high <= threshold) {
                verdict = Verdict.NO_CHANGE;
                reason = "the interval lies within the " + t + " noise threshold";
            } else if (high <= threshold) {
                verdict = Verdict.INCONCLUSIVE;
                reason = "the interval straddles the -" + t + " improvement threshold only: no regression beyond " + t;
            } else {
                verdict = Verdict.INCONCLUSIVE;
                reason = "the interval straddles the " + t + " threshold: more requests are needed";
            }
            return build(difference, low, high, verdict, reason);
        }

        private MetricComparison build(Double change, Double low, Double high, Verdict verdict, String reason) {
            return new MetricComparison(
                    key.name(),
                    gated,
                    direction,
                    unit,
                    base,
                    contender,
                    key.comparesAsDifference() ? "difference" : "ratio",
                    finite(change),
                    finite(low),
                    finite(high),
                    threshold,
                    verdict,
                    reason,
                    baseSamples,
                    contenderSamples);
        }
    }

    /** Infinite bounds (a replicate with a zero base) are reported as unknown, never as a number. */
    private static Double finite(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }

    /** The q-quantile of sorted values, by the nearest rank. */
    static double quantile(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String percent(double fraction) {
        return format(fraction * 100) + " %";
    }

    static String percentagePoints(double fraction) {
        return format(fraction * 100) + " percentage points";
    }

    /** A number without trailing zeros: {@code 5}, {@code 0.5}, {@code 99.9}. */
    static String format(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        String s = String.format(Locale.ROOT, "%.3f", value);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    // ---------------------------------------------------------------- environment

    private static List<String> environmentDifferences(Side b, Side c) {
        List<String> differences = new ArrayList<>();
        targetFields(List.of(b, c)).forEach((name, field) -> {
            Set<Object> bv = b.values(field);
            Set<Object> cv = c.values(field);
            if (!bv.equals(cv)) {
                differences.add(name + ": base " + join(bv) + ", contender " + join(cv));
            }
        });
        harnessFields().forEach((name, field) -> {
            Set<Object> bt = b.values(field);
            Set<Object> ct = c.values(field);
            bt.remove(null);
            ct.remove(null);
            if (!bt.isEmpty() && !ct.isEmpty() && !bt.equals(ct)) {
                differences.add(name + ": base " + join(bt) + ", contender " + join(ct));
            }
        });
        differences.addAll(harnessBuildDifference(b, c));
        return differences;
    }

    /**
     * Which harness built each side, when the sides' builds differ ({@code run.harnessBuild}): the
     * harness's own code measures every figure, so another build can explain part of a change (its
     * overhead, its timing, a fix in how a metric is taken). A file without a build predates the
     * field, so an older harness than any that records one wrote it: that is a difference too,
     * unlike the other fields, where a file that predates a field says nothing. A build the runtime
     * could not read ({@link RunInfo#UNKNOWN_BUILD}) says nothing.
     */
    private static List<String> harnessBuildDifference(Side b, Side c) {
        Set<String> bb = builds(b);
        Set<String> cb = builds(c);
        if (bb.isEmpty() || cb.isEmpty() || bb.equals(cb)) {
            return List.of();
        }
        return List.of("run.harnessBuild: base " + String.join(" / ", bb) + ", contender " + String.join(" / ", cb)
                + ": another build of the harness measured each side, and its own overhead or a change in how"
                + " it measures can explain part of a change");
    }

    /** The harness builds of a side's runs in words, an unreadable build left out. */
    private static Set<String> builds(Side side) {
        Set<String> builds = new LinkedHashSet<>();
        for (RunResult r : side.runs) {
            RunInfo info = r.run();
            String build = info == null ? null : info.harnessBuild();
            if (RunInfo.UNKNOWN_BUILD.equals(build)) {
                continue;
            }
            String version = info == null || info.harnessVersion() == null ? "" : info.harnessVersion() + " ";
            builds.add(
                    build == null
                            ? "harness " + version + "of an older build (not recorded)"
                            : "harness " + version + "build " + build);
        }
        return builds;
    }

    /**
     * The fingerprint fields of the target and the machine, by name: the target's URL and model, the
     * harness version, the CPU count, the JVM, and every key of {@code target.description} that a
     * run of {@code sides} has.
     */
    private static Map<String, Function<RunResult, Object>> targetFields(List<Side> sides) {
        Map<String, Function<RunResult, Object>> fields = new LinkedHashMap<>();
        fields.put("target.url", r -> r.target().comparableUrl());
        fields.put("target.model", r -> r.target().model());
        fields.put("run.harnessVersion", r -> r.run().harnessVersion());
        fields.put("run.cpuCount", r -> r.run().cpuCount());
        fields.put("run.jvm", r -> r.run().jvm());
        // What each server said about itself: a different engine build or simulator option line
        // can explain a change by itself.
        Set<String> described = new java.util.TreeSet<>();
        for (Side side : sides) {
            for (RunResult r : side.runs) {
                if (r.target() != null && r.target().description() != null) {
                    described.addAll(r.target().description().keySet());
                }
            }
        }
        for (String key : described) {
            fields.put(
                    "target.description." + key,
                    r -> r.target() == null || r.target().description() == null
                            ? null
                            : r.target().description().get(key));
        }
        return fields;
    }

    /**
     * Fingerprint fields of the harness itself, by name; {@code null} (a file that predates the
     * field) says nothing, so it is no difference.
     */
    private static Map<String, Function<RunResult, Object>> harnessFields() {
        // How requests reached the server (threads or the event loop), whether the compilers ran at
        // idle priority, whether the JVM was warmed before the first trial, and whether the harness
        // shared its CPUs with the simulator change the harness's own lag; a side whose files predate a field says
        // nothing, so it is no difference.
        Map<String, Function<RunResult, Object>> harnessFields = new LinkedHashMap<>();
        harnessFields.put("run.transport", r -> r.run() == null ? null : r.run().transport());
        harnessFields.put(
                "run.jitPriority", r -> r.run() == null ? null : r.run().jitPriority());
        harnessFields.put("run.jvmWarmup", r -> r.run() == null ? null : r.run().jvmWarmup());
        harnessFields.put("run.cpuSplit", r -> r.run() == null ? null : r.run().cpuSplit());
        return harnessFields;
    }

    /**
     * Fields that record how a run went rather than how it was set up: a JVM warm-up that failed in
     * one run of a side is chance, not another configuration, and so is a CPU split that {@code
     * taskset} refused once ({@code unavailable}); both change the harness's own lag, not the server,
     * which the harness-limited check judges run by run. A warning, never a refusal.
     */
    private static final Set<String> OUTCOME_FIELDS = Set.of("run.jvmWarmup", "run.cpuSplit");

    /**
     * Where the runs of one side disagree on a fingerprint field or on a field of a matched trial's
     * set-up that must repeat one configuration ({@link TrialFields}: load, workload, streaming), one
     * line each, naming the field and the first two files that differ with their
     * values. The runs of a side are replicates of one configuration: pooled runs of two servers (a
     * simulator option, a model, an engine build, a harness version) give an interval of the mixture
     * that no single configuration has, and the verdict, against the other side, mixes a change
     * with the difference inside the side. A run that does not record a field says nothing about it; a
     * difference in {@link #OUTCOME_FIELDS} goes to {@code outcomes} instead.
     */
    private static List<String> sideDifferences(Side side, List<String> outcomes) {
        List<String> differences = new ArrayList<>();
        Map<String, Function<RunResult, Object>> fields = targetFields(List.of(side));
        fields.putAll(harnessFields());
        // Runs of two harness builds are a mix; a run without one (an older file) says nothing here.
        fields.put(
                "run.harnessBuild",
                r -> r.run() == null || RunInfo.UNKNOWN_BUILD.equals(r.run().harnessBuild())
                        ? null
                        : r.run().harnessBuild());
        fields.forEach((name, field) -> {
            List<String> into = OUTCOME_FIELDS.contains(name) ? outcomes : differences;
            Object first = null;
            int firstRun = -1;
            for (int i = 0; i < side.runs.size(); i++) {
                Object v = field.apply(side.runs.get(i));
                if (v == null) {
                    continue;
                }
                if (firstRun < 0) {
                    first = v;
                    firstRun = i;
                } else if (!v.equals(first)) {
                    into.add(name + ": " + side.sources.get(firstRun) + " " + first + ", " + side.sources.get(i) + " "
                            + v);
                    return;
                }
            }
        });
        for (String id : side.trialIds()) {
            List<SourcedTrial> runs = side.trials(id);
            differences.addAll(TrialFields.sideDifferences(
                    id,
                    runs.stream().map(SourcedTrial::trial).toList(),
                    runs.stream().map(SourcedTrial::source).toList()));
        }
        return differences;
    }

    /**
     * Refuses a side whose runs differ ({@link #sideDifferences}), naming the first difference and
     * the way out; with {@link CompareOptions#mixedRuns()} each difference is a warning instead.
     *
     * @throws ResultFormatException one line naming the side, the field and both values
     */
    private static void requireOneConfiguration(Side side, CompareOptions options, List<String> warnings) {
        List<String> outcomes = new ArrayList<>();
        List<String> differences = sideDifferences(side, outcomes);
        for (String o : outcomes) {
            warnings.add("the " + side.name + " runs differ in " + o + ": it may explain part of their spread");
        }
        if (differences.isEmpty()) {
            return;
        }
        if (!options.mixedRuns()) {
            throw new ResultFormatException("the " + side.name + " runs differ in " + differences.get(0)
                    + (differences.size() > 1 ? " (and " + (differences.size() - 1) + " more)" : "")
                    + ": the runs of a side must repeat one configuration, or their interval describes a mix;"
                    + " re-run them alike or leave one out (--allow-mixed-runs pools them anyway)");
        }
        for (String d : differences) {
            warnings.add("the " + side.name + " runs differ (--allow-mixed-runs): " + d
                    + ": the interval describes a mix of configurations");
        }
    }

    /**
     * A machine busier than its CPU count when a run started (one-minute load average) can explain
     * a change: other work competed with the harness and, on one machine, the server.
     */
    private static void warnAboutBusyMachines(Side b, Side c, List<String> warnings) {
        for (Side side : List.of(b, c)) {
            for (int i = 0; i < side.runs.size(); i++) {
                RunInfo info = side.runs.get(i).run();
                if (info != null && info.loadAverage() != null && info.loadAverage() > info.cpuCount()) {
                    warnings.add(String.format(
                            Locale.ROOT,
                            "%s (%s): the machine was busy when the run started (load average %.1f on %d CPUs):"
                                    + " other work may explain a change",
                            side.sources.get(i),
                            side.name,
                            info.loadAverage(),
                            info.cpuCount()));
                }
            }
        }
    }

    /**
     * A run in which the harness's own threads waited for a CPU beyond the bound in a trial's window
     * ({@link TrialResult.HarnessThreads#busy()}) read tokens and sent requests late there: that
     * moves TPOT, ITL and a closed loop's throughput, which the harness-limited mark does not see,
     * and TTFT. Measured over each window itself, where the load average above is a sample at the
     * run's start that also speaks for a server on the same machine: both are said. A note naming
     * the run, its side and its worst trial; it changes no verdict.
     */
    private static void warnAboutBusyHarnessThreads(Side b, Side c, List<String> warnings) {
        for (Side side : List.of(b, c)) {
            for (int i = 0; i < side.runs.size(); i++) {
                List<TrialResult> trials = side.runs.get(i).trials();
                TrialResult worst = null;
                int busy = 0;
                for (TrialResult t : trials) {
                    TrialResult.HarnessThreads h =
                            t.window() == null ? null : t.window().harnessThreads();
                    if (h == null || !h.busy()) {
                        continue;
                    }
                    busy++;
                    if (worst == null
                            || h.meanWaitMs() > worst.window().harnessThreads().meanWaitMs()) {
                        worst = t;
                    }
                }
                if (worst != null) {
                    warnings.add(String.format(
                            Locale.ROOT,
                            "%s (%s): the harness's threads waited for a CPU beyond %s ms on average in %d of %d"
                                    + " trials (worst %s: %s): its reads and sends were late, which can move TPOT,"
                                    + " ITL, TTFT and a closed loop's throughput; other work on the machine may"
                                    + " explain a change",
                            side.sources.get(i),
                            side.name,
                            TrialResult.HarnessThreads.BUSY_MEAN_WAIT_MS,
                            busy,
                            trials.size(),
                            worst.id(),
                            worst.window().harnessThreads().describe()));
                }
            }
        }
    }

    private static String join(Set<Object> values) {
        List<String> each = new ArrayList<>();
        values.forEach(v -> each.add(String.valueOf(v)));
        return String.join(" / ", each);
    }

    // ---------------------------------------------------------------- one side

    private record SourcedTrial(TrialResult trial, String source) {}

    /** Samples of one percentile metric on one side. */
    private static final class SideSamples {
        final Histogram merged;
        final List<Histogram> runs;
        final PercentileBootstrap bootstrap;
        final double percentile;
        final String unit;
        final Direction direction;
        final double scale;

        SideSamples(
                Histogram merged,
                List<Histogram> runs,
                PercentileBootstrap bootstrap,
                double percentile,
                String unit,
                Direction direction,
                double scale) {
            this.merged = merged;
            this.runs = runs;
            this.bootstrap = bootstrap;
            this.percentile = percentile;
            this.unit = unit;
            this.direction = direction;
            this.scale = scale;
        }

        /** The percentile of the pooled histogram, in {@link #unit}. */
        double value(double percentile) {
            return merged.getValueAtPercentile(percentile) / scale;
        }

        /**
         * The variance of this side's mean log percentile over its runs ({@link
         * RunLevelInterval#sideVariance}): each run's own percentile from its own histogram (in the
         * histogram's unit, at least one unit), each run's rank floor ({@link
         * PercentileBootstrap#rankLogVarianceOfRun}), and the histogram's resolution. No random
         * draws: the same runs always give the same variance.
         */
        double logVariance() {
            double[] logs = new double[runs.size()];
            double rank = 0;
            for (int r = 0; r < logs.length; r++) {
                logs[r] = Math.log(Math.max(1, runs.get(r).getValueAtPercentile(percentile)));
                rank += bootstrap.rankLogVarianceOfRun(r);
            }
            return RunLevelInterval.sideVariance(logs, rank / logs.length, resolutionVariance());
        }

        /**
         * The variance, on the log scale, of the histogram's own quantisation error at the pooled
         * percentile, derived from the histogram's settings. HdrHistogram keeps d significant
         * decimal digits with S = 2^ceil(log2(2 x 10^d)) sub-buckets per bucket: each power-of-two
         * range of values is split into S / 2 sub-buckets, so a recorded value x is known only to
         * within its sub-bucket, of width w = {@code sizeOfEquivalentValueRange(x)} between x / S
         * and 2x / S (at most x / 10^d; for d = 3, S = 2048), and never below the histogram's unit
         * (its lowest discernible value rounded down to a power of two: 512 ns for latencies). An
         * error uniform over a relative width w / x has variance (w / x)² / 12. Identical runs then
         * give a narrow interval, never a zero one.
         */
        double resolutionVariance() {
            long x = Math.max(1, merged.getValueAtPercentile(percentile));
            double relative = (double) merged.sizeOfEquivalentValueRange(x) / x;
            return relative * relative / 12;
        }
    }

    /** The results of one side, by trial. */
    private static final class Side {
        final String name;
        final List<RunResult> runs;
        final List<String> sources;
        final Map<String, List<SourcedTrial>> byId = new LinkedHashMap<>();
        final Map<String, Histogram> decoded = new HashMap<>();

        Side(String name, List<RunResult> runs, List<String> sources) {
            this.name = name;
            this.runs = runs;
            this.sources = sources;
            for (int i = 0; i < runs.size(); i++) {
                ResultChecks.requireComplete(runs.get(i), sources.get(i));
                for (TrialResult t : runs.get(i).trials()) {
                    byId.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(new SourcedTrial(t, sources.get(i)));
                }
            }
        }

        Set<String> trialIds() {
            return byId.keySet();
        }

        boolean hasTrial(String id) {
            return byId.containsKey(id);
        }

        List<SourcedTrial> trials(String id) {
            return byId.get(id);
        }

        /** {@code "open"} or {@code "closed"}: the load model of the trial's first run here. */
        String loadModel(String id) {
            TrialResult.LoadInfo load = trials(id).get(0).trial().load();
            return load == null ? "open" : load.model();
        }

        Set<Object> values(Function<RunResult, Object> field) {
            Set<Object> values = new LinkedHashSet<>();
            runs.forEach(r -> values.add(field.apply(r)));
            return values;
        }

        /** Partial, harness-limited or failing runs, per side and file ({@link ResultFitness}). */
        void warnAboutUnfitRuns(List<String> warnings) {
            for (int i = 0; i < runs.size(); i++) {
                for (String problem : ResultFitness.problems(runs.get(i))) {
                    warnings.add(sources.get(i) + " (" + name + "): " + problem);
                }
            }
        }

        SideSamples percentileSamples(String id, MetricKey key, List<String> warnings) {
            List<Histogram> histograms = new ArrayList<>();
            List<Long> effective = new ArrayList<>();
            Histogram merged = null;
            String unit = null;
            Direction direction = key.direction();
            double scale = 1;
            for (SourcedTrial st : trials(id)) {
                MetricResult m = st.trial().metrics().get(key.histogram());
                if (m == null) {
                    String w = st.source() + " (" + name + ") has no " + key.histogram() + " metric";
                    if (!warnings.contains(w)) {
                        warnings.add(w);
                    }
                    continue;
                }
                Histogram h = decode(st, key.histogram(), m);
                if (h.getTotalCount() == 0) {
                    continue;
                }
                unit = m.unit();
                direction = m.direction() == null ? direction : m.direction();
                scale = "ns".equals(m.histogramUnit()) ? NANOS_PER_MILLI : 1.0;
                histograms.add(h);
                effective.add(effectiveCount(st.trial(), key.metric(), h));
                if (merged == null) {
                    merged = h.copy();
                } else {
                    merged.add(h);
                }
            }
            if (histograms.isEmpty()) {
                return null;
            }
            long[] counts = effective.stream().mapToLong(Long::longValue).toArray();
            return new SideSamples(
                    merged,
                    histograms,
                    new PercentileBootstrap(histograms, counts, key.percentile()),
                    key.percentile(),
                    unit,
                    direction,
                    scale);
        }

        /**
         * ITL holds one value per gap, many correlated gaps per request: the independent units are
         * the requests, counted by TPOT (requests with at least two tokens) or, failing that, by the
         * completed requests.
         */
        private static long effectiveCount(TrialResult t, Metric metric, Histogram h) {
            if (!metric.manyValuesPerRequest()) {
                return h.getTotalCount();
            }
            MetricResult tpot = t.metrics().get(Metric.TPOT.key());
            long requests =
                    tpot != null && tpot.count() > 0 ? tpot.count() : t.counts().completed();
            return Math.max(1, Math.min(requests, h.getTotalCount()));
        }

        private Histogram decode(SourcedTrial st, String metric, MetricResult m) {
            String cacheKey = st.source() + '\u0000' + st.trial().id() + '\u0000' + metric;
            Histogram h = decoded.get(cacheKey);
            if (h == null) {
                try {
                    h = m.decodeHistogram();
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new ResultFormatException(
                            st.source() + ": trial " + st.trial().id() + ", metric "
                                    + metric + ": " + (m.histogram() == null ? "histogram is missing" : e.getMessage())
                                    + "; the file is corrupt, re-run the benchmark or restore the file",
                            e);
                }
                decoded.put(cacheKey, h);
            }
            return h;
        }

        /** The rate over all runs: {@code sum(rate_i * seconds_i) / sum(seconds_i)}. */
        double rate(String id, boolean tokens) {
            double weighted = 0;
            double seconds = 0;
            double plain = 0;
            List<SourcedTrial> ts = trials(id);
            for (SourcedTrial st : ts) {
                TrialResult.Throughput tp = st.trial().throughput();
                double r = tokens ? tp.outputTokensPerSecond() : tp.requestsPerSecond();
                double w = st.trial().window().measurementSeconds();
                weighted += r * w;
                seconds += w;
                plain += r;
            }
            return seconds > 0 ? weighted / seconds : plain / ts.size();
        }

        /** Each run's own rate of the trial. */
        double[] runRates(String id, boolean tokens) {
            return trials(id).stream()
                    .mapToDouble(st -> tokens
                            ? st.trial().throughput().outputTokensPerSecond()
                            : st.trial().throughput().requestsPerSecond())
                    .toArray();
        }

        /**
         * Each run's per-second events (completions, or output tokens with {@code tokens}) over its
         * measurement window. Seconds of the drain are left out, as throughput leaves out what
         * completed in them; a file whose window length is unknown keeps every second.
         */
        List<long[]> timelines(String id, boolean tokens) {
            List<long[]> timelines = new ArrayList<>();
            for (SourcedTrial st : trials(id)) {
                TrialResult t = st.trial();
                int length = windowSeconds(t);
                if (length <= 0) {
                    for (TrialResult.Interval i : t.timeline()) {
                        length = Math.max(length, i.second() + 1);
                    }
                }
                long[] values = new long[Math.max(0, length)];
                for (TrialResult.Interval i : t.timeline()) {
                    if (i.second() >= 0 && i.second() < values.length) {
                        values[i.second()] += tokens ? i.outputTokens() : i.completed();
                    }
                }
                timelines.add(values);
            }
            return timelines;
        }

        /** The whole seconds of a trial's measurement window (the last one partial), 0 when unknown. */
        private static int windowSeconds(TrialResult t) {
            return t.window() == null
                    ? 0
                    : Math.max(0, (int) Math.ceil(t.window().measurementSeconds() - 1e-9));
        }

        /**
         * Each run's completions inside its window, the numerator of its throughput: the recorded
         * count, or the rate times the window in a file written before it was recorded.
         */
        long[] completionsInWindow(String id) {
            return trials(id).stream()
                    .mapToLong(st -> {
                        TrialResult t = st.trial();
                        Long recorded = t.window() == null ? null : t.window().completedInWindow();
                        if (recorded != null) {
                            return recorded;
                        }
                        double seconds = t.window() == null ? 0 : t.window().measurementSeconds();
                        return Math.round(t.throughput().requestsPerSecond() * seconds);
                    })
                    .toArray();
        }

        /** Whether any run of the trial here offered a load that varies by design. */
        boolean loadVaries(String id) {
            return trials(id).stream()
                    .anyMatch(
                            st -> st.trial().load() != null && st.trial().load().offeredLoadVaries());
        }

        /** The runs of this side (by source, with the side's name) in which the trial is harness-limited. */
        List<String> limitedRuns(String id) {
            List<String> limited = new ArrayList<>();
            for (SourcedTrial st : trials(id)) {
                if (st.trial().harnessLimited()) {
                    limited.add(st.source() + " (" + name + ")");
                }
            }
            return limited;
        }

        /**
         * Each run's per-second events (completions, or output tokens with {@code tokens}) and offer
         * over its measurement window, {@code {events, offered}}, when every run of the trial
         * offered a load that varies by design ({@link TrialResult.LoadInfo#offeredLoadVaries}) and
         * recorded its offer; else {@code null}, and the trial's throughput is compared as a
         * constant load's. The offer of an open loop is its intended starts; that of a closed loop
         * its workers' time, in microseconds: the time its requests were in flight plus a think
         * time after each that ended (what a worker does when it is not waiting for the server),
         * so that a stage of twice the workers offers twice as much. Seconds of the drain are left
         * out: a server that completes its offer only after the window did not sustain it.
         */
        List<long[][]> offeredTimelines(String id, boolean tokens) {
            List<long[][]> runs = new ArrayList<>();
            for (SourcedTrial st : trials(id)) {
                TrialResult t = st.trial();
                TrialResult.LoadInfo load = t.load();
                if (load == null || !load.offeredLoadVaries() || t.window() == null) {
                    return null;
                }
                boolean closed = load.closedLoop();
                double thinkMicros = closed && load.thinkTimeMs() != null ? load.thinkTimeMs() * 1000 : 0;
                int length = windowSeconds(t);
                long[] events = new long[length];
                long[] offered = new long[length];
                long total = 0;
                for (TrialResult.Interval i : t.timeline()) {
                    if (i.second() < 0 || i.second() >= length) {
                        continue;
                    }
                    Long offer = closed
                            ? i.inFlightMicros() == null
                                    ? null
                                    : i.inFlightMicros() + Math.round(thinkMicros * (i.completed() + i.failed()))
                            : i.started();
                    if (offer == null) {
                        return null; // written before the timeline recorded it
                    }
                    events[i.second()] += tokens ? i.outputTokens() : i.completed();
                    offered[i.second()] += offer;
                    total += offer;
                }
                if (total == 0) {
                    return null;
                }
                runs.add(new long[][] {events, offered});
            }
            return runs.isEmpty() ? null : runs;
        }

        /**
         * The most that late sends could have moved the metric in any run of the trial on this
         * side, as a fraction ({@link #beyondTheLag}); {@code null} when a run cannot say (no TTFT
         * shift recorded with its mark, no dispatch lag or E2E to reckon a throughput's from). Every
         * run counts, limited or not: a run below the mark's thresholds may still have sent late.
         */
        Double lagReach(String id, MetricKey key) {
            double reach = 0;
            for (SourcedTrial st : trials(id)) {
                TrialResult t = st.trial();
                Double r;
                if (key.kind() == MetricKey.Kind.PERCENTILE) {
                    r = t.harnessLimit() == null ? null : t.harnessLimit().ttftShift();
                } else {
                    MetricResult lag = t.metrics().get(Metric.DISPATCH_LAG.key());
                    MetricResult e2e = t.metrics().get(Metric.E2E.key());
                    r = lag == null
                                    || e2e == null
                                    || lag.mean() == null
                                    || e2e.mean() == null
                                    || e2e.mean() <= lag.mean()
                            ? null
                            : lag.mean() / (e2e.mean() - lag.mean());
                }
                if (r == null && t.harnessLimited()) {
                    return null;
                }
                // An unmarked run that cannot say (a file without shifts): the mark said it kept up.
                reach = Math.max(reach, r == null ? 0 : r);
            }
            return reach;
        }

        /** Open-loop requests of the trial, over this side's runs, that waited for an in-flight slot. */
        long delayedStarts(String id) {
            long delayed = 0;
            for (SourcedTrial st : trials(id)) {
                TrialResult.Counts c = st.trial().counts();
                delayed += c == null ? 0 : c.delayedStarts();
            }
            return delayed;
        }

        /** Whether every run of this side stores the histogram for the trial. */
        boolean hasHistogram(String id, String histogram) {
            for (SourcedTrial st : trials(id)) {
                MetricResult r = st.trial().metrics().get(histogram);
                if (r == null || r.histogram() == null) {
                    return false;
                }
            }
            return true;
        }

        /** Each run's error rate of the trial, runs with no ended request left out. */
        RunRates errorRates(String id) {
            List<SourcedTrial> ts = trials(id);
            long[] failed = new long[ts.size()];
            long[] ended = new long[ts.size()];
            for (int i = 0; i < ts.size(); i++) {
                TrialResult.Counts c = Objects.requireNonNull(ts.get(i).trial().counts(), "counts");
                failed[i] = c.failed();
                ended[i] = c.completed() + c.failed();
            }
            return RunRates.of(failed, ended);
        }

        long[] failedAndTotal(String id) {
            long failed = 0;
            long total = 0;
            for (SourcedTrial st : trials(id)) {
                TrialResult.Counts c = Objects.requireNonNull(st.trial().counts(), "counts");
                failed += c.failed();
                total += c.completed() + c.failed();
            }
            return new long[] {failed, total};
        }
    }
}
