package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.compare.CompareOptions;
import dev.llmharness.runtime.compare.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run.cpuSplit} through a file, a merge and a comparison: written and read back as it is,
 * kept by a merge whose inputs agree, a difference a comparison names; absent from older files,
 * where it reads as null and is no difference.
 */
class CpuSplitJsonTest {
    private static final CompareOptions OPTIONS = CompareOptions.defaults().withResamples(200);

    @TempDir
    Path dir;

    private static RunResult runWith(String split, int seed) {
        RunResult r = SyntheticResults.run(seed, SyntheticResults.Spec.of("T").rate(20, 20));
        return new RunResult(
                r.schemaVersion(), r.run().withJvmWarmup("on").withCpuSplit(split), r.target(), r.trials(), false);
    }

    @Test
    void theFieldRoundTrips() throws IOException {
        for (String value :
                List.of("harness=0 simulator=1", "harness=0-1,4-5 simulator=2-3,6-7", "off", "unavailable", "none")) {
            Path file = dir.resolve(value.replace(' ', '_') + ".json");
            ResultJson.write(runWith(value, 1), file);
            assertThat(Files.readString(file)).contains("\"cpuSplit\" : \"" + value + "\"");
            RunResult read = ResultJson.read(file);
            assertThat(read.run().cpuSplit()).isEqualTo(value);
            assertThat(read.run().jvmWarmup()).isEqualTo("on");
        }
    }

    @Test
    void aFileWrittenBeforeTheFieldReadsAsNullAndIsNoDifference() throws IOException {
        Path file = dir.resolve("before.json");
        ResultJson.write(runWith("off", 1), file);
        String text = Files.readString(file);
        String withoutField = text.replaceAll(",\\s*\"cpuSplit\" : \"off\"", "");
        assertThat(withoutField).isNotEqualTo(text).doesNotContain("cpuSplit");
        Files.writeString(file, withoutField);
        RunResult old = ResultJson.read(file);
        assertThat(old.run().cpuSplit()).isNull();
        assertThat(old.run().jvmWarmup()).isEqualTo("on");
        assertThat(Comparison.compare(List.of(old), List.of(runWith("harness=0 simulator=1", 2)), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }

    /** Runs of one side that differ in the split (one where taskset was refused) are warned about, not refused. */
    @Test
    void runsOfOneSideThatDifferInTheSplitAreAWarning() {
        var report = Comparison.compare(
                List.of(runWith("harness=0 simulator=1", 1), runWith("harness=0 simulator=1", 2)),
                List.of("b1.json", "b2.json"),
                List.of(runWith("harness=0 simulator=1", 3), runWith("unavailable", 4)),
                List.of("c1.json", "c2.json"),
                OPTIONS);
        assertThat(report.warnings())
                .contains("the contender runs differ in run.cpuSplit: c1.json harness=0 simulator=1, c2.json"
                        + " unavailable: it may explain part of their spread");
    }

    @Test
    void aMergeKeepsTheValueWhenItsInputsAgreeAndACompareNamesADifference() {
        String split = "harness=0 simulator=1";
        RunResult a = runWith(split, 1);
        RunResult merged =
                ResultMerger.merge(List.of(a, runWith(split, 2)), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(merged.run().cpuSplit()).isEqualTo(split);
        assertThat(ResultMerger.merge(
                                List.of(a, runWith("off", 2)), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                        .run()
                        .cpuSplit())
                .isNull();
        assertThat(Comparison.compare(List.of(merged), List.of(runWith("off", 3)), OPTIONS)
                        .environmentDifferences())
                .containsExactly("run.cpuSplit: base harness=0 simulator=1, contender off");
        assertThat(Comparison.compare(List.of(a), List.of(runWith(split, 3)), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }
}
