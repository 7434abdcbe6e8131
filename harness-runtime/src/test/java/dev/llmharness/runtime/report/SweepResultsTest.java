package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.capacity.CapacityCurve;
import dev.llmharness.runtime.compare.CompareOptions;
import dev.llmharness.runtime.compare.Comparison;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.compare.TrialComparison;
import dev.llmharness.runtime.result.ResultMerger;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The points of a sweep are trials like any other: compare matches them point by point, merge adds their runs. */
class SweepResultsTest {
    @Test
    void compareMatchesEveryPointAndMergeKeepsASweep() {
        RunResult first = ReportBrowserTest.sweep();
        RunResult second = ReportBrowserTest.sweep();
        ComparisonReport report = Comparison.compare(List.of(first), List.of(second), CompareOptions.defaults());
        assertThat(report.trials())
                .extracting(TrialComparison::id)
                .contains(
                        "Chat.chat{rate=10}",
                        "Chat.chat{rate=20}",
                        "Chat.chat{rate=30}",
                        "Chat.chat{rate=40}",
                        "Chat.chat{rate=50}");
        RunResult merged = ResultMerger.merge(List.of(first, second), List.of("a", "b"), ResultMerger.Mode.RUNS);
        assertThat(merged.trials()).extracting(TrialResult::id).hasSize(5);
        CapacityCurve curve = CapacityCurve.sweepsOf(merged.trials()).get(0);
        assertThat(curve.points()).hasSize(5);
        assertThat(curve.points().get(4).offered()).isEqualTo(50);
        // Two runs of the same points: counts add, so each point has twice the requests.
        assertThat(merged.trials().get(0).counts().sent())
                .isEqualTo(2 * first.trials().get(0).counts().sent());
    }
}
