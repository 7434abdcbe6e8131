package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code window.harnessThreads} through a result file: written with the units its record states,
 * read back as it was, and absent from a file written before it existed or on a machine without
 * the counters, where it reads as not measured ({@code null}).
 */
class HarnessThreadsJsonTest {
    @TempDir
    Path dir;

    private static RunResult runWith(TrialResult.HarnessThreads figure) {
        RunResult run = SyntheticResults.run(
                1, SyntheticResults.Spec.of("Chat.chat[rate=4]").rate(4, 5));
        return new RunResult(
                run.schemaVersion(),
                run.run(),
                run.target(),
                List.of(run.trials().get(0).withHarnessThreads(figure)),
                false);
    }

    @Test
    void theFigureIsWrittenInItsUnitsAndReadBackAsItWas() {
        TrialResult.HarnessThreads figure =
                TrialResult.HarnessThreads.of(5_000_123_456L, 812_345_678L, 4_567_890L, 3_210);
        // Seconds to the ms, ms to the µs, the share to 6 decimals.
        assertThat(figure).isEqualTo(new TrialResult.HarnessThreads(5.0, 812.346, 4.568, 0.000914, 3_210));
        assertThat(figure.meanWaitMs()).isEqualTo(4.568 / 3_210);

        RunResult measured = runWith(figure);
        Path file = dir.resolve("measured.json");
        ResultJson.write(measured, file);
        RunResult read = ResultJson.read(file);

        assertThat(read).isEqualTo(measured);
        assertThat(read.trials().get(0).window().harnessThreads()).isEqualTo(figure);
        assertThat(ResultJson.toJson(read))
                .contains(
                        "\"harnessThreads\" : {",
                        "\"onCpuMs\" : 812.346",
                        "\"runQueueWaitMs\" : 4.568",
                        "\"runQueueWaitShare\" : 9.14E-4",
                        "\"timeslices\" : 3210")
                .doesNotContain("meanWaitMs", "busy", "describe");
    }

    @Test
    void aFileWithoutTheFigureReadsAsNotMeasured() throws IOException {
        RunResult notMeasured = runWith(null);
        String json = ResultJson.toJson(notMeasured);
        assertThat(json).contains("\"harnessThreads\" : null");
        assertThat(ResultJson.parse(json, "macos.json")).isEqualTo(notMeasured);

        // A file written before the field existed has no such key at all.
        JsonNode tree =
                ResultJson.mapper().readTree(ResultJson.toJson(runWith(TrialResult.HarnessThreads.of(1, 1, 1, 1))));
        ((ObjectNode) tree.at("/trials/0/window")).remove("harnessThreads");
        RunResult old = ResultJson.parse(tree.toString(), "old.json");
        assertThat(old.trials().get(0).window().harnessThreads()).isNull();
        assertThat(old).isEqualTo(notMeasured);
    }
}
