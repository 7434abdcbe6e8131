package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepTableTest {
    private static final StepResult CLEAN = new StepResult(StopCriteriaTest.clean("open", 100), List.of());
    private static final StepResult BEHIND = new StepResult(
            StopCriteriaTest.with(CLEAN.figures(), 2.5, 0.2, 12_800, 100, 0),
            List.of("dispatch lag p99 2.500 ms > 1.000 ms"));

    private static int cells(String markdownLine) {
        return markdownLine.split("\\|", -1).length - 2;
    }

    @Test
    void markdownHeaderAlignmentAndRowsHaveTheSameCells() {
        String[] header = StepTable.markdownHeader().split("\n");
        String row = StepTable.markdownRow(BEHIND).strip();
        assertThat(cells(header[0])).isEqualTo(20).isEqualTo(cells(header[1])).isEqualTo(cells(row));
        assertThat(row)
                .startsWith(
                        "| fixed-itl(ttft=20ms, itl=20ms) | open | 100 | 100.0 | 100.0 | 12,800 | 0.050 / 2.500 / 2.000 |")
                .endsWith("| behind: dispatch lag p99 2.500 ms > 1.000 ms |");
    }

    @Test
    void consoleRowsLineUpUnderTheHeader() {
        String header = StepTable.consoleHeader();
        String row = StepTable.consoleRow(CLEAN);
        assertThat(row.indexOf("clean")).isEqualTo(header.indexOf("verdict"));
        assertThat(row).startsWith("fixed-itl(ttft=20ms, itl=20ms) open       100");
        assertThat(StepTable.consoleRow(BEHIND)).endsWith("  BEHIND: dispatch lag p99 2.500 ms > 1.000 ms");
    }

    @Test
    void figuresNotMeasuredPrintAsDashes() {
        StepFigures f = CLEAN.figures();
        StepFigures zero = new StepFigures(
                "zero",
                "closed",
                4,
                Double.NaN,
                f.achievedRate(),
                Double.NaN,
                f.tokenEventsPerSecond(),
                f.dispatchLagP50(),
                f.dispatchLagP99(),
                f.dispatchLagMax(),
                f.requestBuildP50(),
                f.requestBuildP99(),
                f.harnessCpu(),
                f.simulatorCpu(),
                f.heapUsedMaxMb(),
                f.heapMaxMb(),
                f.peakThreads(),
                f.connections(),
                f.ttftErrorP50(),
                f.ttftErrorP99(),
                f.tokenDelayP50(),
                f.tokenDelayP99(),
                f.tokenDelayMax(),
                f.itlErrorP50(),
                f.itlErrorP99(),
                Double.NaN,
                f.sendDelayP50(),
                f.sendDelayP99(),
                f.loadAverage(),
                f.measuredRequests(),
                f.matchedRequests(),
                f.failedRequests(),
                f.harnessLimit());
        String row = StepTable.markdownRow(new StepResult(zero, List.of()));
        assertThat(row).startsWith("| zero | closed | 4 | - |").contains("| - | 0.050 / 0.200 |");
    }
}
