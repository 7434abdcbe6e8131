package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.SyntheticResults.Spec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report's words for what was gated and what went unjudged, read from the comparison itself:
 * two open-loop trials gated on {@code tpot.p99}, of which the short one (about 300 requests, 370
 * are needed for a p99) is gated on its p90 instead.
 */
class CellsTest {
    private static final String SHORT = "Chat.short[rate=15]";
    private static final String LONG = "Chat.long[rate=150]";

    private static ComparisonReport report;

    @BeforeAll
    static void compare() {
        Spec shortSpec = new Spec(SHORT, 200, 0.35, 20, 0.3, 13, 15, 20, 0);
        Spec longSpec = Spec.of(LONG);
        RunResult base = SyntheticResults.run(1, shortSpec, longSpec);
        RunResult contender = SyntheticResults.run(2, shortSpec, longSpec);
        report = Comparison.compare(
                List.of(base),
                List.of(contender),
                CompareOptions.defaults().withResamples(500).withGate(Set.of("tpot.p99")));
    }

    @Test
    void trialsOfOneLoadModelThatGatedDifferentlyAreNamed() {
        assertThat(Cells.gated(report))
                .isEqualTo("tpot.p90 in 1 open-loop trial (Chat.short[rate=15]); tpot.p99 in 1 open-loop trial"
                        + " (Chat.long[rate=150])");
    }

    @Test
    void aPercentileGatedOnALowerOneIsCountedAndListedWithWhy() {
        assertThat(report.gatedOnALowerPercentile())
                .singleElement()
                .satisfies(f -> assertThat(f.trial().id()).isEqualTo(SHORT));
        assertThat(Cells.lowerPercentiles(report))
                .singleElement()
                .asString()
                .startsWith("Chat.short[rate=15] tpot.p99: gated on tpot.p90 instead");
        assertThat(Cells.counts(report)).endsWith(" over 2 trials compared; 1 gated percentile gated on a lower one");
        assertThat(Cells.headline(report)).endsWith("1 gated percentile gated on a lower one (see below)");
        assertThat(CompareFormat.MARKDOWN.render(report))
                .contains("\n1 gated percentile(s) gated on a lower one:\n\n- Chat.short[rate=15] tpot.p99: gated on"
                        + " tpot.p90 instead");
        assertThat(CompareFormat.TERMINAL.render(report))
                .contains("\n1 gated percentile(s) gated on a lower one:\n  Chat.short[rate=15] tpot.p99: gated on"
                        + " tpot.p90 instead");
    }

    @Test
    void oneGatedSetForEveryTrialIsSaidOnce() {
        ComparisonReport same = Comparison.compare(
                List.of(SyntheticResults.run(1, Spec.of(LONG), Spec.of("Chat.other[rate=150]"))),
                List.of(SyntheticResults.run(2, Spec.of(LONG), Spec.of("Chat.other[rate=150]"))),
                CompareOptions.defaults().withResamples(500).withGate(Set.of("tpot.p50")));
        assertThat(Cells.gated(same)).isEqualTo("tpot.p50 in 2 open-loop trials");
    }
}
