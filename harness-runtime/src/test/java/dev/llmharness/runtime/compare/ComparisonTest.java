package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.result.HarnessLimit;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.SyntheticResults.Spec;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final String TRIAL = "Chat.chat[rate=150]";
    /** Fewer replicates than the default keep 50-seed loops fast; the verdict rules are unchanged. */
    private static final CompareOptions OPTIONS = CompareOptions.defaults().withResamples(500);

    private static MetricComparison metric(ComparisonReport report, String name) {
        return report.trials().get(0).metrics().stream()
                .filter(m -> m.metric().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ComparisonReport compare(Spec base, long baseSeed, Spec contender, long contenderSeed) {
        return Comparison.compare(
                List.of(SyntheticResults.run(baseSeed, base)),
                List.of(SyntheticResults.run(contenderSeed, contender)),
                OPTIONS.withSeed(baseSeed));
    }

    @Test
    void aToAComparisonsGiveNoRegressionOverFiftySeeds() {
        Map<Verdict, Integer> gated = new EnumMap<>(Verdict.class);
        Map<Verdict, Integer> all = new EnumMap<>(Verdict.class);
        List<String> inconclusive = new ArrayList<>();
        for (long seed = 0; seed < 50; seed++) {
            ComparisonReport report = compare(Spec.of(TRIAL), 2 * seed + 1, Spec.of(TRIAL), 2 * seed + 2);
            for (MetricComparison m : report.trials().get(0).metrics()) {
                all.merge(m.verdict(), 1, Integer::sum);
                if (m.gated()) {
                    gated.merge(m.verdict(), 1, Integer::sum);
                }
                if (m.verdict() == Verdict.INCONCLUSIVE) {
                    inconclusive.add(seed + " " + m.metric() + ": " + m.reason());
                }
            }
            assertThat(report.exitCode(FailOn.REGRESSION)).isZero();
        }
        assertThat(all.getOrDefault(Verdict.REGRESSION, 0)).isZero();
        assertThat(all.getOrDefault(Verdict.IMPROVEMENT, 0)).isZero();
        // 50 x 4 gated verdicts; an interval may graze a threshold now and then, rarely.
        assertThat(gated.getOrDefault(Verdict.INCONCLUSIVE, 0))
                .as("inconclusive: %s", inconclusive)
                .isLessThanOrEqualTo(5);
    }

    /** Three runs of {@code spec}, seeds from {@code seed}; the run at {@code limitedIndex} (or none: -1) harness-limited. */
    private static List<RunResult> threeRuns(Spec spec, long seed, int limitedIndex) {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunResult r = SyntheticResults.run(seed + i, spec);
            if (i == limitedIndex) {
                // As the engine marks it: 40 of 1,000 requests more than 1 ms late, TTFT raised 8 %.
                HarnessLimit limit = new HarnessLimit(true, 1.0, 1_000, 40L, 10L, HarnessLimit.RULE_LATE_COUNT, 0.08);
                r = new RunResult(
                        r.schemaVersion(),
                        r.run(),
                        r.target(),
                        r.trials().stream().map(t -> t.withHarnessLimit(limit)).toList(),
                        r.partial(),
                        r.merge());
            }
            runs.add(r);
        }
        return runs;
    }

    @Test
    void aChangeTowardsTheSideTheHarnessLimitedStandsOnlyWhenTheLateSendsCannotExplainIt() {
        // A server 20 % slower to its first token, measured on a machine where one contender run
        // fell behind its schedule: TTFT from the send, which no late send moves, is 20 % slower
        // too, so the server changed and the REGRESSION stands, saying why.
        ComparisonReport busyContender = Comparison.compare(
                threeRuns(Spec.of(TRIAL), 10, -1), threeRuns(Spec.of(TRIAL).ttftScaled(1.2), 20, 1), OPTIONS);
        MetricComparison ttft = metric(busyContender, "ttft.p50");
        assertThat(ttft.verdict()).as(ttft.reason()).isEqualTo(Verdict.REGRESSION);
        assertThat(ttft.reason())
                .contains(
                        "it stands although contender #2 (contender) is harness-limited here",
                        "ttftFromSend.p50 (from the send, which late sends do not move) is REGRESSION too");
        assertThat(busyContender.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);

        // Late sends do not move the time between a request's own tokens: a 20 % slower token
        // rate stays a regression beside the same mark.
        ComparisonReport slowerTokens = Comparison.compare(
                threeRuns(Spec.of(TRIAL), 10, -1), threeRuns(Spec.of(TRIAL).itlScaled(1.2), 20, 1), OPTIONS);
        assertThat(metric(slowerTokens, "tpot.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(slowerTokens.exitCode(FailOn.REGRESSION)).isEqualTo(1);

        // The same change with a limited base run stands: a base that fell behind hides a
        // regression, it cannot make one.
        ComparisonReport busyBase = Comparison.compare(
                threeRuns(Spec.of(TRIAL), 10, 0), threeRuns(Spec.of(TRIAL).ttftScaled(1.2), 20, -1), OPTIONS);
        assertThat(metric(busyBase, "ttft.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(busyBase.exitCode(FailOn.REGRESSION)).isEqualTo(1);

        // Mirrored for an improvement: a limited base makes the contender look better, but TTFT
        // from the send is 20 % faster too, so the IMPROVEMENT stands.
        ComparisonReport fasterBusyBase = Comparison.compare(
                threeRuns(Spec.of(TRIAL), 10, 2), threeRuns(Spec.of(TRIAL).ttftScaled(0.8), 20, -1), OPTIONS);
        MetricComparison faster = metric(fasterBusyBase, "ttft.p50");
        assertThat(faster.verdict()).as(faster.reason()).isEqualTo(Verdict.IMPROVEMENT);
        assertThat(faster.reason()).contains("it stands although base #3 (base) is harness-limited here");
        ComparisonReport fasterBusyContender = Comparison.compare(
                threeRuns(Spec.of(TRIAL), 10, -1), threeRuns(Spec.of(TRIAL).ttftScaled(0.8), 20, 0), OPTIONS);
        assertThat(metric(fasterBusyContender, "ttft.p50").verdict()).isEqualTo(Verdict.IMPROVEMENT);
    }

    /**
     * Three runs of {@link #lagged} requests with {@code gapMs} between tokens, every run marked
     * harness-limited with the given TTFT shift ({@code null}: unknown, as in an older file).
     */
    private static List<RunResult> limitedLaggedRuns(long seed, double lagMs, long gapMs, Double ttftShift) {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunResult r = lagged(seed + i, 1.0, lagMs, gapMs);
            HarnessLimit limit = new HarnessLimit(true, 1.0, 800, 800L, 8L, HarnessLimit.RULE_LATE_COUNT, ttftShift);
            runs.add(new RunResult(
                    r.schemaVersion(),
                    r.run(),
                    r.target(),
                    r.trials().stream().map(t -> t.withHarnessLimit(limit)).toList(),
                    r.partial(),
                    r.merge()));
        }
        return runs;
    }

    private static List<RunResult> quietLaggedRuns(long seed) {
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(lagged(seed + i, 1.0, 0.05, 20));
        }
        return runs;
    }

    @Test
    void aRegressionOfALimitedContenderIsWithheldWhenItsLateSendsCouldExplainIt() {
        // The contender's sends went out about 30 ms late (its TTFT raised 30 %: the shift the mark
        // records), the server unchanged: E2E, timed from the intended start, is about 8 % worse.
        // The late sends can explain that, so it is not a verdict on the server.
        CompareOptions e2e = OPTIONS.withGate(java.util.Set.of("e2e.p50"));
        List<RunResult> base = quietLaggedRuns(100);
        MetricComparison lag = metric(Comparison.compare(base, limitedLaggedRuns(200, 30, 20, 0.3), e2e), "e2e.p50");
        assertThat(lag.change())
                .as("the trap: E2E worse beyond its 5 %% threshold")
                .isGreaterThan(0.05);
        assertThat(lag.verdict()).as(lag.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(lag.reason()).contains("harness-limited here: the harness falling behind, not the server, may");

        // A server whose tokens come 50 % slower, on the same busy machine: E2E is about 45 %
        // worse, more than the threshold and the 30 % the late sends could add together, so the
        // REGRESSION stands and says why.
        ComparisonReport slower = Comparison.compare(base, limitedLaggedRuns(300, 30, 30, 0.3), e2e);
        MetricComparison kept = metric(slower, "e2e.p50");
        assertThat(kept.verdict()).as(kept.reason()).isEqualTo(Verdict.REGRESSION);
        assertThat(kept.reason())
                .contains(
                        "it stands although ",
                        "the whole interval is beyond the 5 % threshold by more than the 30.0 % the late sends could"
                                + " move e2e in the contender's runs");
        assertThat(slower.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);

        // The same runs from a file that did not record how far the late sends moved TTFT: the
        // excuse cannot be measured, so it is taken.
        MetricComparison unknown =
                metric(Comparison.compare(base, limitedLaggedRuns(300, 30, 30, null), e2e), "e2e.p50");
        assertThat(unknown.verdict()).as(unknown.reason()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    /** {@code run} with every trial's harness threads' figure set to {@code figure}. */
    private static RunResult withHarnessThreads(RunResult run, TrialResult.HarnessThreads figure) {
        return new RunResult(
                run.schemaVersion(),
                run.run(),
                run.target(),
                run.trials().stream().map(t -> t.withHarnessThreads(figure)).toList(),
                run.partial(),
                run.merge());
    }

    @Test
    void aRunWhoseHarnessThreadsWaitedForACpuIsNotedForItsSideAndNoVerdictChanges() {
        RunResult base = SyntheticResults.run(1, Spec.of(TRIAL));
        RunResult contender = SyntheticResults.run(2, Spec.of(TRIAL).itlScaled(1.2));
        // 100,000 times on a CPU, 2 µs late each; 1,000 times, 4.12 ms late each.
        TrialResult.HarnessThreads quiet =
                TrialResult.HarnessThreads.of(10_000_000_000L, 900_000_000L, 200_000_000L, 100_000);
        TrialResult.HarnessThreads busy =
                TrialResult.HarnessThreads.of(10_000_000_000L, 900_000_000L, 4_120_000_000L, 1_000);

        ComparisonReport plain = Comparison.compare(List.of(base), List.of(contender), OPTIONS);
        ComparisonReport noted = Comparison.compare(
                List.of(withHarnessThreads(base, quiet)), List.of(withHarnessThreads(contender, busy)), OPTIONS);

        assertThat(noted.warnings())
                .filteredOn(w -> w.contains("the harness's threads waited"))
                .containsExactly("contender #1 (contender): the harness's threads waited for a CPU beyond 1.0 ms on"
                        + " average in 1 of 1 trials (worst " + TRIAL + ": 4.120 ms on average each time one was"
                        + " ready to run, 4120.0 ms in all (41.2 % of the 10.0 s window)): its reads and sends were"
                        + " late, which can move TPOT, ITL, TTFT and a closed loop's throughput; other work on the"
                        + " machine may explain a change");
        assertThat(plain.warnings()).noneMatch(w -> w.contains("the harness's threads waited"));
        // A note, never a verdict: the slower token rate is the same REGRESSION beside it.
        assertThat(noted.trials()).isEqualTo(plain.trials());
        assertThat(noted.summary()).isEqualTo(plain.summary());
        assertThat(metric(noted, "tpot.p50").verdict()).isEqualTo(Verdict.REGRESSION);

        // The base's side is named when it is the busy one.
        ComparisonReport busyBase = Comparison.compare(
                List.of(withHarnessThreads(base, busy)), List.of(withHarnessThreads(contender, quiet)), OPTIONS);
        assertThat(busyBase.warnings())
                .filteredOn(w -> w.contains("the harness's threads waited"))
                .singleElement()
                .asString()
                .startsWith("base #1 (base): ");
    }

    @Test
    void aTwentyPercentSlowerItlIsARegressionOnItlP99AndAGatedOneOnTpot() {
        for (long seed = 0; seed < 10; seed++) {
            ComparisonReport report =
                    compare(Spec.of(TRIAL), 100 + seed, Spec.of(TRIAL).itlScaled(1.2), 200 + seed);
            MetricComparison itl = metric(report, "itl.p99");
            assertThat(itl.verdict()).as("seed %s: %s", seed, itl.reason()).isEqualTo(Verdict.REGRESSION);
            assertThat(itl.change()).isBetween(0.15, 0.25);
            assertThat(itl.changeLow()).isGreaterThan(0.10);
            assertThat(itl.gated())
                    .as("an open-loop trial gates tpot, not itl, by default")
                    .isFalse();
            MetricComparison tpot = metric(report, "tpot.p50");
            assertThat(tpot.gated()).isTrue();
            assertThat(tpot.verdict()).as("seed %s: %s", seed, tpot.reason()).isEqualTo(Verdict.REGRESSION);
            assertThat(metric(report, "ttft.p99").verdict()).isNotEqualTo(Verdict.REGRESSION);
            assertThat(report.exitCode(FailOn.REGRESSION)).isEqualTo(1);
            assertThat(report.exitCode(FailOn.NEVER)).isZero();
        }
    }

    @Test
    void aThreePercentChangeIsNeverARegression() {
        for (long seed = 0; seed < 20; seed++) {
            ComparisonReport report = compare(
                    Spec.of(TRIAL), 300 + seed, Spec.of(TRIAL).itlScaled(1.03).ttftScaled(1.03), 400 + seed);
            for (MetricComparison m : report.trials().get(0).metrics()) {
                assertThat(m.verdict())
                        .as("seed %s %s: %s", seed, m.metric(), m.reason())
                        .isIn(Verdict.NO_CHANGE, Verdict.INCONCLUSIVE);
            }
        }
    }

    @Test
    void lowerThroughputIsARegressionAndHigherAnImprovement() {
        Spec base = Spec.of(TRIAL);
        Spec slower = Spec.of(TRIAL).rate(120, 120);
        ComparisonReport worse = compare(base, 1, slower, 2);
        MetricComparison tokens = metric(worse, "outputTokensPerSecond");
        assertThat(tokens.direction()).isEqualTo(dev.llmharness.runtime.result.Direction.HIGHER_IS_BETTER);
        assertThat(tokens.change()).isBetween(-0.25, -0.15);
        assertThat(tokens.verdict()).as(tokens.reason()).isEqualTo(Verdict.REGRESSION);
        assertThat(metric(worse, "requestsPerSecond").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(Cells.changeInWords(tokens)).endsWith("% worse");

        ComparisonReport better = compare(slower, 3, base, 4);
        assertThat(metric(better, "outputTokensPerSecond").verdict()).isEqualTo(Verdict.IMPROVEMENT);
        assertThat(Cells.changeInWords(metric(better, "outputTokensPerSecond"))).endsWith("% better");
        assertThat(better.exitCode(FailOn.REGRESSION)).isZero();
    }

    /**
     * A base side that completed nothing (every request failed; or a window shorter than a request,
     * as the README tour gave with shortened windows) has a rate of 0: throughput is INCONCLUSIVE
     * with its reason, not a crash (it was a NullPointerException, exit 3).
     */
    @Test
    void aBaseThatCompletedNothingIsInconclusiveNotACrash() {
        Spec nothing = new Spec(TRIAL, 200, 0.35, 20, 0.3, 13, 20, 20, 1.0);
        ComparisonReport report = compare(nothing, 1, Spec.of(TRIAL).rate(20, 20), 2);
        for (String m : List.of("requestsPerSecond", "outputTokensPerSecond")) {
            MetricComparison c = metric(report, m);
            assertThat(c.verdict()).as(m).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(c.reason()).as(m).contains("the base rate is 0");
            assertThat(c.change()).as(m).isNull();
        }
    }

    @Test
    void aPercentileOfAHigherIsBetterDistributionFollowsTheDirectionInTheFile() {
        Spec thirteen = Spec.of(TRIAL).rate(20, 20);
        Spec sixteen = new Spec(TRIAL, 200, 0.35, 20, 0.3, 16, 20, 20, 0);
        CompareOptions options = OPTIONS.withGate(java.util.Set.of("outputTokens.p50"));
        ComparisonReport more = Comparison.compare(
                List.of(SyntheticResults.run(1, thirteen)), List.of(SyntheticResults.run(2, sixteen)), options);
        MetricComparison tokens = metric(more, "outputTokens.p50");
        assertThat(tokens.unit()).isEqualTo("tokens");
        assertThat(tokens.direction()).isEqualTo(dev.llmharness.runtime.result.Direction.HIGHER_IS_BETTER);
        assertThat(tokens.verdict()).isEqualTo(Verdict.IMPROVEMENT);
        ComparisonReport fewer = Comparison.compare(
                List.of(SyntheticResults.run(1, sixteen)), List.of(SyntheticResults.run(2, thirteen)), options);
        assertThat(metric(fewer, "outputTokens.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(fewer.exitCode(FailOn.REGRESSION)).isEqualTo(1);
    }

    @Test
    void tooFewSamplesForP99IsInconclusiveWithThatReason() {
        Spec small = Spec.of(TRIAL).rate(10, 20);
        ComparisonReport report = compare(small, 1, small, 2);
        MetricComparison p99 = metric(report, "ttft.p99");
        assertThat(p99.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(p99.reason()).contains("too few samples for p99").contains("at least 370 are needed");
        assertThat(metric(report, "itl.p99").reason()).contains("requests");
        // p50 needs only 8 samples: with 200 it gets an interval (wide, so it may straddle 5 %).
        assertThat(metric(report, "ttft.p50").reason()).doesNotContain("too few samples");
        assertThat(metric(report, "ttft.p50").changeLow()).isNotNull();
        assertThat(report.exitCode(FailOn.REGRESSION)).isZero();
        assertThat(report.exitCode(FailOn.INCONCLUSIVE)).isEqualTo(1);
    }

    @Test
    void itlUsesRequestsNotGapsAsItsSampleSize() {
        ComparisonReport report = compare(Spec.of(TRIAL), 1, Spec.of(TRIAL), 2);
        MetricComparison itl = metric(report, "itl.p99");
        MetricComparison ttft = metric(report, "ttft.p99");
        assertThat(itl.baseSamples()).isEqualTo(ttft.baseSamples());
    }

    @Test
    void aHigherErrorRateIsARegressionJudgedOnAnAbsoluteThreshold() {
        ComparisonReport report =
                compare(Spec.of(TRIAL).errors(0.001), 1, Spec.of(TRIAL).errors(0.03), 2);
        MetricComparison errors = metric(report, "errorRate");
        assertThat(errors.changeKind()).isEqualTo("difference");
        assertThat(errors.change()).isBetween(0.02, 0.04);
        assertThat(errors.verdict()).isEqualTo(Verdict.REGRESSION);

        ComparisonReport same =
                compare(Spec.of(TRIAL).errors(0.01), 3, Spec.of(TRIAL).errors(0.01), 4);
        assertThat(metric(same, "errorRate").verdict()).isEqualTo(Verdict.NO_CHANGE);
    }

    @Test
    void anIntervalThatStraddlesOnlyTheImprovementThresholdIsDecidedForTheGate() {
        // 5 % faster tokens against a 5 % threshold: often INCONCLUSIVE (better, but maybe not by 5 %),
        // never a question for the gate, which asks "worse by more than 5 %?".
        int inconclusive = 0;
        for (long seed = 0; seed < 10; seed++) {
            ComparisonReport report = compare(
                    Spec.of(TRIAL).rate(20, 20),
                    2 * seed + 1,
                    Spec.of(TRIAL).rate(20, 20).itlScaled(0.95),
                    2 * seed + 2);
            MetricComparison tpot = metric(report, "tpot.p50");
            assertThat(tpot.regressionRuledOut()).as(tpot.reason()).isTrue();
            assertThat(tpot.gateUndecided()).isFalse();
            if (tpot.verdict() == Verdict.INCONCLUSIVE) {
                inconclusive++;
                assertThat(tpot.reason()).contains("improvement threshold only: no regression beyond 5 %");
            }
            assertThat(report.gateUndecided())
                    .noneMatch(f -> f.metric().metric().equals("tpot.p50"));
        }
        assertThat(inconclusive).as("cases where the one-sided reading matters").isPositive();

        // A 4 % slower token rate straddles the worse threshold: undecided for the gate, and said so.
        ComparisonReport worse = compare(
                Spec.of(TRIAL).rate(5, 10), 1, Spec.of(TRIAL).rate(5, 10).itlScaled(1.04), 2);
        MetricComparison tpot = metric(worse, "tpot.p50");
        if (tpot.verdict() == Verdict.INCONCLUSIVE && tpot.changeHigh() > 0.05) {
            assertThat(tpot.gateUndecided()).isTrue();
            assertThat(worse.summary().gatedInconclusive()).isPositive();
        }
    }

    @Test
    void theErrorRateIsGatedOverAllTrialsWhenOneTrialHasTooFewRequests() {
        Spec[] specs = new Spec[6];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = Spec.of("T" + i).rate(10, 20); // 200 requests each: too few for 0.5 points alone
        }
        ComparisonReport aa = Comparison.compare(
                List.of(SyntheticResults.run(1, specs)), List.of(SyntheticResults.run(2, specs)), OPTIONS);
        TrialComparison all = aa.trials().get(aa.trials().size() - 1);
        assertThat(all.id()).isEqualTo(Comparison.ALL_TRIALS);
        MetricComparison pooled = all.metrics().get(0);
        assertThat(pooled.metric()).isEqualTo("errorRate");
        assertThat(pooled.gated()).isTrue();
        long requests = 0;
        for (TrialComparison t : aa.trials().subList(0, 6)) {
            requests += t.metrics().stream()
                    .filter(m -> m.metric().equals("errorRate"))
                    .findFirst()
                    .orElseThrow()
                    .baseSamples();
        }
        assertThat(pooled.baseSamples()).isEqualTo(requests).isGreaterThan(1000);
        assertThat(pooled.verdict()).as(pooled.reason()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(aa.summary().trialsCompared()).isEqualTo(6);
        for (TrialComparison t : aa.trials().subList(0, 6)) {
            MetricComparison own = t.metrics().stream()
                    .filter(m -> m.metric().equals("errorRate"))
                    .findFirst()
                    .orElseThrow();
            assertThat(own.gated()).as(own.reason()).isFalse();
            assertThat(own.reason()).endsWith("gated over all trials instead");
        }
        assertThat(aa.gateUndecided()).noneMatch(f -> f.metric().metric().equals("errorRate"));

        // One trial failing 20 % of its requests is a REGRESSION of its own, still gated.
        Spec[] failing = specs.clone();
        failing[2] = Spec.of("T2").rate(10, 20).errors(0.2);
        ComparisonReport bad = Comparison.compare(
                List.of(SyntheticResults.run(1, specs)), List.of(SyntheticResults.run(2, failing)), OPTIONS);
        MetricComparison t2 = bad.trials().get(2).metrics().stream()
                .filter(m -> m.metric().equals("errorRate"))
                .findFirst()
                .orElseThrow();
        assertThat(t2.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(t2.gated()).isTrue();
        assertThat(bad.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);
    }

    /** One trial of 800 requests: server TTFT around 100 ms (x serverScale), dispatch lag around lagMs. */
    private static RunResult lagged(long seed, double serverScale, double lagMs) {
        return lagged(seed, serverScale, lagMs, 20);
    }

    /** As {@link #lagged(long, double, double)}, with {@code gapMs} between each request's 16 tokens. */
    private static RunResult lagged(long seed, double serverScale, double lagMs, long gapMs) {
        java.util.Random random = new java.util.Random(seed);
        SyntheticResults.TrialBuilder t = new SyntheticResults.TrialBuilder(TRIAL, 20);
        for (int i = 0; i < 800; i++) {
            long server = Math.round(100e6 * serverScale * StrictMath.exp(0.3 * random.nextGaussian()));
            long lag = Math.round(lagMs * 1e6 * StrictMath.exp(random.nextGaussian()));
            long[] gaps = new long[15];
            java.util.Arrays.fill(gaps, gapMs * 1_000_000L);
            t.request(i / 40, server + lag, lag, gaps, 256);
        }
        return runOf(t, seed);
    }

    @Test
    void aTtftChangeThatIsTheHarnessesOwnDispatchLagIsNotAVerdictOnTheServer() {
        // The contender's machine was busy: sends went out about 30 ms late; the server did not change.
        ComparisonReport busy = Comparison.compare(List.of(lagged(1, 1.0, 0.05)), List.of(lagged(2, 1.0, 30)), OPTIONS);
        MetricComparison ttft = metric(busy, "ttft.p50");
        assertThat(ttft.verdict()).as(ttft.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(ttft.reason()).contains("ttftFromSend.p50 (from the send) is ", "dispatch lag");
        assertThat(busy.summary().gatedRegressions()).isZero();
        assertThat(busy.gateUndecided()).extracting(f -> f.metric().metric()).contains("ttft.p50");

        // The base's machine was busy: no false IMPROVEMENT either.
        ComparisonReport busyBase =
                Comparison.compare(List.of(lagged(3, 1.0, 30)), List.of(lagged(4, 1.0, 0.05)), OPTIONS);
        assertThat(metric(busyBase, "ttft.p50").verdict()).isEqualTo(Verdict.INCONCLUSIVE);

        // A server 30 % slower to the first token is a REGRESSION from either start.
        ComparisonReport slower =
                Comparison.compare(List.of(lagged(5, 1.0, 0.05)), List.of(lagged(6, 1.3, 0.05)), OPTIONS);
        assertThat(metric(slower, "ttft.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(slower.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);
    }

    @Test
    void thresholdsAndGatesAreConfigurablePerMetric() {
        Spec base = Spec.of(TRIAL);
        Spec slower = Spec.of(TRIAL).ttftScaled(1.2);
        CompareOptions loose = OPTIONS.withThreshold("ttft.p99", 0.5).withGate(java.util.Set.of("ttft.p50"));
        ComparisonReport report = Comparison.compare(
                List.of(SyntheticResults.run(1, base)), List.of(SyntheticResults.run(2, slower)), loose);
        assertThat(metric(report, "ttft.p99").verdict()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(metric(report, "ttft.p99").gated()).isFalse();
        assertThat(metric(report, "ttft.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(metric(report, "ttft.p50").gated()).isTrue();
        assertThat(report.summary().gatedRegressions()).isEqualTo(1);
    }

    @Test
    void replicateRunsOnEachSideCatchARegressionAndPassAnAToA() {
        List<RunResult> base = new ArrayList<>();
        List<RunResult> same = new ArrayList<>();
        List<RunResult> slower = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            base.add(SyntheticResults.run(10 + i, Spec.of(TRIAL).rate(50, 60)));
            same.add(SyntheticResults.run(20 + i, Spec.of(TRIAL).rate(50, 60)));
            slower.add(SyntheticResults.run(30 + i, Spec.of(TRIAL).rate(50, 60).itlScaled(1.3)));
        }
        ComparisonReport aa = Comparison.compare(base, same, OPTIONS);
        assertThat(aa.summary().regressions()).isZero();
        assertThat(aa.baseSources()).containsExactly("base #1", "base #2", "base #3");
        ComparisonReport regression = Comparison.compare(base, slower, OPTIONS);
        assertThat(metric(regression, "itl.p99").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(metric(regression, "itl.p99").baseSamples())
                .isEqualTo(base.stream()
                        .mapToLong(r -> r.trials().get(0).counts().completed())
                        .sum());
    }

    /** One run of one trial whose requests have the given TPOT values (one gap each), in ms. */
    private static RunResult tpotRun(long seed, double[] tpotMs) {
        SyntheticResults.TrialBuilder t = new SyntheticResults.TrialBuilder(TRIAL, 10);
        for (int i = 0; i < tpotMs.length; i++) {
            t.request(i % 10, 50_000_000L, 50_000L, new long[] {Math.round(tpotMs[i] * 1e6)}, 256);
        }
        return runOf(t, seed);
    }

    /**
     * 82 requests: 74 in a lower group (60 to 77.5 ms) and 8 in an upper one (100 to 109 ms), so
     * that p90 (the 74th) is the last of the lower group; {@code moved} of the lower group's top
     * requests join the upper group at 95 ms (a batch boundary that shifted by two requests); the
     * whole run is times {@code runFactor}.
     */
    private static double[] batchBoundary(int moved, double runFactor) {
        double[] ms = new double[82];
        for (int i = 0; i < 74; i++) {
            ms[i] = (i >= 74 - moved ? 95 : 60 * (1 + 0.004 * i)) * runFactor;
        }
        for (int i = 74; i < 82; i++) {
            ms[i] = (100 + (i - 74) * 1.25) * runFactor;
        }
        return ms;
    }

    @Test
    void aChangeConfinedToTheRequestsAtThePercentileIsNotARegressionWhenTheRunsAgree() {
        // The runs of each side agree within ±0.4 %, yet p90 moves by +22 %: two requests crossed a
        // batch boundary. One run's request-level spread bounds the interval from below; the runs'
        // agreement alone would call it a REGRESSION.
        double[] factors = {0.996, 1.0, 1.004};
        List<RunResult> base = new ArrayList<>();
        List<RunResult> contender = new ArrayList<>();
        double[] baseLogs = new double[3];
        double[] contenderLogs = new double[3];
        for (int r = 0; r < 3; r++) {
            base.add(tpotRun(100 + r, batchBoundary(0, factors[r])));
            contender.add(tpotRun(200 + r, batchBoundary(2, factors[r])));
            baseLogs[r] = Math.log(percentileOf(base.get(r), 90));
            contenderLogs[r] = Math.log(percentileOf(contender.get(r), 90));
        }
        CompareOptions options = OPTIONS.withGate(java.util.Set.of("tpot.p90"));
        MetricComparison p90 = metric(Comparison.compare(base, contender, options), "tpot.p90");
        assertThat(p90.change())
                .as("the trap: a change beyond the 10 %% threshold")
                .isGreaterThan(0.2);
        double[] runsAlone = RunLevelInterval.ofRunValues(
                Math.log(1 + p90.change()), baseLogs, 0, contenderLogs, 0, options.confidence());
        assertThat(runsAlone[0] - 1)
                .as("the runs' own spread alone puts the whole interval above +10 %%")
                .isGreaterThan(0.10);
        assertThat(p90.verdict()).as(p90.reason()).isNotEqualTo(Verdict.REGRESSION);
        assertThat(p90.changeLow()).isLessThan(0.10);
    }

    private static double percentileOf(RunResult run, double percentile) {
        return run.trials().get(0).metrics().get("tpot").decodeHistogram().getValueAtPercentile(percentile);
    }

    @Test
    void identicalRunsGiveANarrowIntervalFromTheHistogramsResolutionNotAZeroOne() {
        // Every request 20 ms: no spread between runs, none within a run; only the histogram's
        // resolution is left (3 significant digits: a 16.4 us bucket at 20 ms).
        double[] same = new double[100];
        java.util.Arrays.fill(same, 20.0);
        List<RunResult> base = new ArrayList<>();
        List<RunResult> contender = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            base.add(tpotRun(300 + r, same));
            contender.add(tpotRun(400 + r, same));
        }
        MetricComparison p50 = metric(Comparison.compare(base, contender, OPTIONS), "tpot.p50");
        assertThat(p50.verdict()).as(p50.reason()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(p50.change()).isZero();
        assertThat(p50.changeLow()).isNotNull().isNegative();
        assertThat(p50.changeHigh()).isNotNull().isPositive();
        org.HdrHistogram.Histogram h =
                base.get(0).trials().get(0).metrics().get("tpot").decodeHistogram();
        long x = h.getValueAtPercentile(50);
        double relative = (double) h.sizeOfEquivalentValueRange(x) / x;
        // Two sides of 3 runs, each with variance relative² / 12: Welch with 4 degrees of freedom.
        double expected =
                Math.expm1(RunLevelInterval.studentQuantile(0.975, 4) * Math.sqrt(2 * relative * relative / 12));
        assertThat(p50.changeHigh()).isCloseTo(expected, org.assertj.core.api.Assertions.within(expected * 1e-6));
    }

    /**
     * One run of 600 requests: TTFT log-normal around {@code 100 x scale} ms (log-sd 0.1), the
     * slowest quarter times {@code tailFactor}, so that p90 moves with it and p50 does not.
     */
    private static RunResult tailRun(long seed, double scale, double tailFactor) {
        java.util.Random random = new java.util.Random(seed);
        SyntheticResults.TrialBuilder t = new SyntheticResults.TrialBuilder(TRIAL, 20);
        for (int i = 0; i < 600; i++) {
            double z = random.nextGaussian();
            double ms = 100 * scale * Math.exp(0.1 * z) * (z > 0.6745 ? tailFactor : 1);
            t.request(i / 30, Math.round(ms * 1e6), 50_000L, new long[] {20_000_000L}, 256);
        }
        return runOf(t, seed);
    }

    /** A run of one trial, the builder's, built with {@code seed}. */
    private static RunResult runOf(SyntheticResults.TrialBuilder t, long seed) {
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(t.build(seed)),
                false);
    }

    private static List<RunResult> tailRuns(long seed, double scale, double... tailFactors) {
        List<RunResult> runs = new ArrayList<>();
        for (int r = 0; r < tailFactors.length; r++) {
            runs.add(tailRun(seed + r, scale, tailFactors[r]));
        }
        return runs;
    }

    @Test
    void aP90OnAGapBetweenTwoGroupsOfRequestsIsLeftForTheMedianEvenWhenTheBasesRunsAgree() {
        // A closed loop's TTFT: most requests 40 ms, the few that wait one more engine step 46 ms.
        // In each base run 8 of 90 waited, so every base run's p90 (rank 81) is a 40 ms request
        // and the runs agree; a contender run in which 11 waited has a p90 of 46 ms. The base's
        // requests show how near p90 sits to the gap (a few requests changing rank cross it), so the
        // median is gated instead, and an A/A comparison whose contender splits across the gap is
        // decided.
        CompareOptions options = OPTIONS.withGate(java.util.Set.of("ttft.p50", "ttft.p90"));
        List<RunResult> base = List.of(gapRun(50, 8), gapRun(51, 8), gapRun(52, 8));
        List<RunResult> contender = List.of(gapRun(60, 8), gapRun(61, 11), gapRun(62, 8));
        ComparisonReport aa = Comparison.compare(base, contender, options);
        MetricComparison p90 = metric(aa, "ttft.p90");
        assertThat(p90.gated()).as(p90.reason()).isFalse();
        assertThat(p90.reason()).contains("; gated on ttft.p50 instead (the base's requests spread ±");
        assertThat(p90.verdict()).as("p90 itself cannot be decided here").isEqualTo(Verdict.INCONCLUSIVE);
        MetricComparison p50 = metric(aa, "ttft.p50");
        assertThat(p50.gated()).isTrue();
        assertThat(p50.verdict()).as(p50.reason()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(aa.exitCode(FailOn.INCONCLUSIVE))
                .as("every gated metric decided")
                .isZero();

        // The same runs without the gap (the waiting requests as fast as the rest): p90 stays gated.
        List<RunResult> dense = List.of(gapRun(70, 0), gapRun(71, 0), gapRun(72, 0));
        MetricComparison kept = metric(Comparison.compare(dense, dense, options), "ttft.p90");
        assertThat(kept.gated()).as(kept.reason()).isTrue();
        assertThat(kept.reason()).doesNotContain("instead");
    }

    /**
     * One run of 90 requests: TTFT 40 ms (log-sd 0.005), except {@code waited} of them at 46 ms, as
     * a closed loop's requests that wait one more engine step.
     */
    private static RunResult gapRun(long seed, int waited) {
        java.util.Random random = new java.util.Random(seed);
        SyntheticResults.TrialBuilder t = new SyntheticResults.TrialBuilder(TRIAL, 20);
        for (int i = 0; i < 90; i++) {
            double ms = (i < waited ? 46 : 40) * Math.exp(0.005 * random.nextGaussian());
            t.request(i / 10, Math.round(ms * 1e6), 50_000L, new long[] {20_000_000L}, 256);
        }
        return runOf(t, seed);
    }

    @Test
    void theBasesSpreadAloneChoosesTheGatedPercentileWhateverTheContender() {
        // The base's p90 is 20 % and 45 % higher in two of its runs than in the third, its median is
        // not (only the slowest quarter moves, and only up): a gated p90 cannot be decided against a
        // 10 % threshold, so the median is gated in its place. The choice reads the base only: a
        // contender like the base and one 50 % slower get the same.
        CompareOptions options = OPTIONS.withGate(java.util.Set.of("ttft.p90"));
        List<RunResult> base = tailRuns(10, 1.0, 1.0, 1.2, 1.45);
        List<RunResult> alike = tailRuns(20, 1.0, 1.0, 1.2, 1.45);
        List<RunResult> slower = tailRuns(30, 1.5, 1.0, 1.0, 1.0);
        ComparisonReport aa = Comparison.compare(base, alike, options);
        ComparisonReport worse = Comparison.compare(base, slower, options);
        List<String> notes = new ArrayList<>();
        for (ComparisonReport report : List.of(aa, worse)) {
            MetricComparison p90 = metric(report, "ttft.p90");
            assertThat(p90.gated()).as(p90.reason()).isFalse();
            assertThat(p90.reason()).contains("; gated on ttft.p50 instead (the base's runs spread ±");
            notes.add(p90.reason().substring(p90.reason().indexOf("; gated on")));
            MetricComparison p50 = metric(report, "ttft.p50");
            assertThat(p50.gated()).isTrue();
            assertThat(p50.reason()).startsWith("gated in place of ttft.p90 (the base's runs spread ±");
        }
        assertThat(notes.get(1)).as("the same words, the same base").isEqualTo(notes.get(0));
        assertThat(metric(worse, "ttft.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(worse.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);
        assertThat(aa.exitCode(FailOn.REGRESSION)).isZero();

        // A base whose runs agree at p90 keeps p90 gated, against the same contenders.
        List<RunResult> steady = tailRuns(40, 1.0, 1.0, 1.0, 1.0);
        for (List<RunResult> contender : List.of(alike, slower)) {
            MetricComparison p90 = metric(Comparison.compare(steady, contender, options), "ttft.p90");
            assertThat(p90.gated()).as(p90.reason()).isTrue();
            assertThat(p90.reason()).doesNotContain("instead");
        }
    }

    /**
     * One run of 600 requests at the exact quantiles of a TTFT log-normal around {@code 100 x
     * scale} ms (log-sd 0.1), no sampling noise: the slowest quarter times {@code tailFactor}, so
     * that p90 moves with it exactly and the median not at all.
     */
    private static RunResult quantileRun(long seed, double scale, double tailFactor) {
        SyntheticResults.TrialBuilder t = new SyntheticResults.TrialBuilder(TRIAL, 20);
        for (int i = 0; i < 600; i++) {
            double z = ProportionInterval.inverseNormal((i + 0.5) / 600);
            double ms = 100 * scale * Math.exp(0.1 * z) * (z > 0.6745 ? tailFactor : 1);
            t.request(i / 30, Math.round(ms * 1e6), 50_000L, new long[] {20_000_000L}, 256);
        }
        return runOf(t, seed);
    }

    @Test
    void aGatedP90WhoseIntervalCannotBeDecidedIsGatedOnTheMedianCountedAndNamed() {
        // The base's p90 differs by 4 % from run to run (its median not at all): three runs
        // predict a half-width of about ±9 % for a comparison with a contender like them, narrower
        // than the 10 % threshold, yet such a comparison decides only when its point estimate falls
        // within about ±1 % of no change, rarely. So the median is gated instead, and the row says
        // so, counts in the summary, and names the statistic used.
        CompareOptions options = OPTIONS.withGate(java.util.Set.of("ttft.p90"));
        List<RunResult> base = new ArrayList<>();
        List<RunResult> alike = new ArrayList<>();
        List<RunResult> slower = new ArrayList<>();
        double[] tails = {1.0, 1.04, 1.08};
        for (int r = 0; r < 3; r++) {
            base.add(quantileRun(10 + r, 1.0, tails[r]));
            alike.add(quantileRun(20 + r, 1.0, tails[r]));
            slower.add(quantileRun(30 + r, 1.3, tails[r]));
        }
        for (List<RunResult> contender : List.of(alike, slower)) {
            ComparisonReport report = Comparison.compare(base, contender, options);
            MetricComparison p90 = metric(report, "ttft.p90");
            assertThat(p90.gated()).as(p90.reason()).isFalse();
            assertThat(p90.gatedOn()).isEqualTo("ttft.p50");
            assertThat(p90.gatedElsewhere()).isTrue();
            assertThat(p90.reason())
                    .contains("; gated on ttft.p50 instead (the base's runs spread ±", "too wide to decide");
            double predicted =
                    Double.parseDouble(p90.reason().replaceAll("(?s).*the base's runs spread ±([0-9.]+) %.*", "$1"));
            assertThat(predicted)
                    .as("an interval narrower than the threshold that still cannot be decided")
                    .isBetween(6.8, 10.0);
            MetricComparison p50 = metric(report, "ttft.p50");
            assertThat(p50.gated()).isTrue();
            assertThat(p50.gatedOn()).isNull();
            assertThat(p50.reason()).startsWith("gated in place of ttft.p90 (");
            assertThat(report.summary().gatedElsewhere()).isEqualTo(1);
        }
        assertThat(metric(Comparison.compare(base, alike, options), "ttft.p50").verdict())
                .isEqualTo(Verdict.NO_CHANGE);
        ComparisonReport worse = Comparison.compare(base, slower, options);
        assertThat(metric(worse, "ttft.p50").verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(worse.exitCode(FailOn.REGRESSION)).isEqualTo(ComparisonReport.EXIT_REGRESSION);

        // Runs that agree at p90 keep it gated, as asked, and nothing is counted.
        List<RunResult> steady = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            steady.add(quantileRun(40 + r, 1.0, 1.0));
        }
        ComparisonReport kept = Comparison.compare(steady, alike, options);
        MetricComparison p90 = metric(kept, "ttft.p90");
        assertThat(p90.gated()).as(p90.reason()).isTrue();
        assertThat(p90.gatedOn()).isNull();
        assertThat(kept.summary().gatedElsewhere()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        RunResult a = SyntheticResults.run(1, Spec.of(TRIAL).rate(30, 30));
        RunResult b = SyntheticResults.run(2, Spec.of(TRIAL).rate(30, 30).itlScaled(1.08));
        ComparisonReport first = Comparison.compare(List.of(a), List.of(b), OPTIONS.withSeed(42));
        ComparisonReport second = Comparison.compare(List.of(a), List.of(b), OPTIONS.withSeed(42));
        ComparisonReport other = Comparison.compare(List.of(a), List.of(b), OPTIONS.withSeed(43));
        assertThat(second).isEqualTo(first);
        assertThat(CompareFormat.JSON.render(second)).isEqualTo(CompareFormat.JSON.render(first));
        assertThat(other.trials()).isNotEqualTo(first.trials());
    }

    @Test
    void trialsOnOneSideOnlyAreListedNotCompared() {
        RunResult base =
                SyntheticResults.run(1, Spec.of("A").rate(20, 20), Spec.of("B").rate(20, 20));
        RunResult contender =
                SyntheticResults.run(2, Spec.of("B").rate(20, 20), Spec.of("C").rate(20, 20));
        ComparisonReport report = Comparison.compare(List.of(base), List.of(contender), OPTIONS);
        assertThat(report.trials()).extracting(TrialComparison::id).containsExactly("B");
        assertThat(report.onlyInBase()).containsExactly("A");
        assertThat(report.onlyInContender()).containsExactly("C");

        ComparisonReport none = Comparison.compare(
                List.of(SyntheticResults.run(1, Spec.of("A").rate(20, 20))), List.of(contender), OPTIONS);
        assertThat(none.noTrialsInCommon()).isTrue();
        assertThat(none.exitCode(FailOn.NEVER)).isEqualTo(2);
    }

    @Test
    void differentEnvironmentsAreWarnedAndIncomparableUnderStrict() {
        RunResult base = SyntheticResults.run(1, Spec.of(TRIAL).rate(20, 20));
        RunResult c = SyntheticResults.run(2, Spec.of(TRIAL).rate(20, 20));
        RunInfo r = c.run();
        RunResult contender = new RunResult(
                c.schemaVersion(),
                r.toBuilder().cpuCount(8).jvm("Eclipse Adoptium 21.0.5").build(),
                new TargetInfo("http://10.0.0.2:8000", "OPENAI_CHAT", "llama-3-8b", "b4600", false),
                c.trials(),
                false);
        ComparisonReport warned = Comparison.compare(List.of(base), List.of(contender), OPTIONS);
        assertThat(warned.environmentDifferences())
                .containsExactly(
                        "target.url: base http://127.0.0.1:8000, contender http://10.0.0.2:8000",
                        "run.cpuCount: base 2, contender 8",
                        "run.jvm: base Eclipse Adoptium 17.0.15, contender Eclipse Adoptium 21.0.5");
        assertThat(warned.exitCode(FailOn.REGRESSION)).isZero();
        ComparisonReport strict = Comparison.compare(List.of(base), List.of(contender), OPTIONS.withStrict(true));
        assertThat(strict.exitCode(FailOn.REGRESSION)).isEqualTo(3);
    }

    /** The run against a server that described itself as {@code description}. */
    private static RunResult described(RunResult r, java.util.Map<String, String> description) {
        TargetInfo t = r.target();
        return new RunResult(
                r.schemaVersion(),
                r.run(),
                new TargetInfo(t.url(), t.api(), t.model(), t.serverVersion(), t.simulated(), description),
                r.trials(),
                r.partial());
    }

    @Test
    void runsOfOneSideAgainstDifferentConfigurationsAreRefusedNamingTheFieldUnlessAllowed() {
        java.util.Map<String, String> normal = java.util.Map.of("models.llmh_sim_options", "--itl-scale 1.0");
        java.util.Map<String, String> slower = java.util.Map.of("models.llmh_sim_options", "--itl-scale 1.2");
        List<RunResult> base = List.of(
                described(SyntheticResults.run(1, Spec.of(TRIAL).rate(20, 20)), normal),
                described(SyntheticResults.run(2, Spec.of(TRIAL).rate(20, 20)), slower));
        List<RunResult> contender = List.of(
                described(SyntheticResults.run(3, Spec.of(TRIAL).rate(20, 20)), normal),
                described(SyntheticResults.run(4, Spec.of(TRIAL).rate(20, 20)), normal));
        List<String> baseFiles = List.of("b1.json", "b2.json");
        List<String> contenderFiles = List.of("c1.json", "c2.json");
        assertThatThrownBy(() -> Comparison.compare(base, baseFiles, contender, contenderFiles, OPTIONS))
                .isInstanceOf(dev.llmharness.runtime.result.ResultFormatException.class)
                .hasMessage("the base runs differ in target.description.models.llmh_sim_options: b1.json --itl-scale"
                        + " 1.0, b2.json --itl-scale 1.2: the runs of a side must repeat one configuration, or their"
                        + " interval describes a mix; re-run them alike or leave one out (--allow-mixed-runs pools"
                        + " them anyway)");
        // A run that did not record a field (an older file, a probe that failed) says nothing.
        List<RunResult> oneSilent = List.of(base.get(0), described(base.get(1), null));
        assertThatCode(() -> Comparison.compare(oneSilent, baseFiles, contender, contenderFiles, OPTIONS))
                .doesNotThrowAnyException();
        // The model and the harness's own fields count too, inside the contender as well.
        RunResult otherModel = new RunResult(
                contender.get(1).schemaVersion(),
                contender.get(1).run().withTransport("event-loop"),
                contender.get(1).target(),
                contender.get(1).trials(),
                false);
        assertThatThrownBy(() -> Comparison.compare(
                        List.of(base.get(0), base.get(0)),
                        baseFiles,
                        List.of(transport(contender.get(0), "threads"), otherModel),
                        contenderFiles,
                        OPTIONS))
                .hasMessageStartingWith(
                        "the contender runs differ in run.transport: c1.json threads, c2.json" + " event-loop:");

        // A JVM warm-up that failed in one run is how that run went, not another configuration.
        java.util.function.BiFunction<RunResult, String, RunResult> warmup = (r, w) ->
                new RunResult(r.schemaVersion(), r.run().withJvmWarmup(w), r.target(), r.trials(), r.partial());
        ComparisonReport chance = Comparison.compare(
                List.of(base.get(0), base.get(0)),
                baseFiles,
                List.of(warmup.apply(contender.get(0), "on"), warmup.apply(contender.get(1), "failed")),
                contenderFiles,
                OPTIONS);
        assertThat(chance.warnings())
                .contains("the contender runs differ in run.jvmWarmup: c1.json on, c2.json failed: it may explain"
                        + " part of their spread");

        ComparisonReport allowed =
                Comparison.compare(base, baseFiles, contender, contenderFiles, OPTIONS.withMixedRuns(true));
        assertThat(allowed.warnings())
                .contains("the base runs differ (--allow-mixed-runs): target.description.models.llmh_sim_options:"
                        + " b1.json --itl-scale 1.0, b2.json --itl-scale 1.2: the interval describes a mix of"
                        + " configurations");
    }

    /** The run with its transport recorded ({@code null}: a file from before it was recorded). */
    private static RunResult transport(RunResult r, String transport) {
        return new RunResult(r.schemaVersion(), r.run().withTransport(transport), r.target(), r.trials(), r.partial());
    }

    /** The trial with its answers recorded as streamed or not ({@code null}: a file from before it was recorded). */
    private static RunResult streamed(RunResult r, Boolean streamed) {
        List<TrialResult> trials = new java.util.ArrayList<>();
        for (TrialResult t : r.trials()) {
            trials.add(t.withStreamed(streamed));
        }
        return new RunResult(r.schemaVersion(), r.run(), r.target(), trials, r.partial());
    }

    @Test
    void aTrialStreamedOnOneSideOnlyIsAnEnvironmentDifferenceUnlessASideDidNotRecordIt() {
        RunResult base = streamed(SyntheticResults.run(1, Spec.of(TRIAL).rate(20, 20)), true);
        RunResult contender = streamed(SyntheticResults.run(2, Spec.of(TRIAL).rate(20, 20)), false);
        ComparisonReport report = Comparison.compare(List.of(base), List.of(contender), OPTIONS);
        assertThat(report.environmentDifferences())
                .containsExactly(
                        "trial " + TRIAL + " answers: base streamed, contender not streamed (E2E only): answers"
                                + " not streamed have no TTFT or ITL, and their E2E includes no streaming");
        assertThat(Comparison.compare(List.of(base), List.of(contender), OPTIONS.withStrict(true))
                        .exitCode(FailOn.REGRESSION))
                .isEqualTo(3);
        // A baseline written before streaming was recorded is no difference: it says nothing.
        RunResult old = streamed(base, null);
        assertThat(Comparison.compare(List.of(old), List.of(contender), OPTIONS).environmentDifferences())
                .isEmpty();
        assertThat(Comparison.compare(List.of(base), List.of(streamed(contender, true)), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }

    @Test
    void twoSimulatorRunsAreTheSameTargetWhateverTheirEphemeralPorts() {
        RunResult a = SyntheticResults.run(1, Spec.of(TRIAL).rate(20, 20));
        RunResult b = SyntheticResults.run(2, Spec.of(TRIAL).rate(20, 20));
        RunResult base = new RunResult(
                a.schemaVersion(),
                a.run(),
                new TargetInfo("http://127.0.0.1:41621", "OPENAI_CHAT", "sim-llm", null, true),
                a.trials(),
                false);
        RunResult contender = new RunResult(
                b.schemaVersion(),
                b.run(),
                new TargetInfo("http://127.0.0.1:45877", "OPENAI_CHAT", "sim-llm", null, true),
                b.trials(),
                false);

        ComparisonReport strict = Comparison.compare(List.of(base), List.of(contender), OPTIONS.withStrict(true));

        assertThat(strict.environmentDifferences()).isEmpty();
        assertThat(strict.exitCode(FailOn.NEVER)).isZero();
    }
}
