package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run.jvmWarmup}: written and read back as it is; absent from older files, where it reads as null. */
class JvmWarmupJsonTest {
    @TempDir
    Path dir;

    private static RunResult runWith(String warmup, int seed) {
        RunResult r = SyntheticResults.run(seed, SyntheticResults.Spec.of("T").rate(8, 10));
        return new RunResult(
                r.schemaVersion(),
                r.run().withJitPriority("idle").withJvmWarmup(warmup),
                r.target(),
                r.trials(),
                false);
    }

    @Test
    void theFieldRoundTrips() throws IOException {
        for (String value : List.of("on", "off", "failed")) {
            Path file = dir.resolve(value + ".json");
            ResultJson.write(runWith(value, 1), file);
            assertThat(Files.readString(file)).contains("\"jvmWarmup\" : \"" + value + "\"");
            RunResult read = ResultJson.read(file);
            assertThat(read.run().jvmWarmup()).isEqualTo(value);
            assertThat(read.run().jitPriority()).isEqualTo("idle");
        }
    }

    @Test
    void aFileWrittenBeforeTheFieldReadsAsNull() throws IOException {
        // A file from before the field is today's file without its line (not the committed baseline,
        // which is re-recorded with the field whenever the baseline is promoted again).
        Path file = dir.resolve("before.json");
        ResultJson.write(runWith("on", 1), file);
        String text = Files.readString(file);
        String withoutField = text.replaceAll(",\\s*\"jvmWarmup\" : \"on\"", "");
        assertThat(withoutField).isNotEqualTo(text).doesNotContain("jvmWarmup");
        Files.writeString(file, withoutField);
        RunResult old = ResultJson.read(file);
        assertThat(old.run().jvmWarmup()).isNull();
        assertThat(old.run().jitPriority()).isEqualTo("idle");
    }

    @Test
    void mergedRunsKeepTheValueOnlyWhenTheyAgree() {
        RunResult a = runWith("on", 1);
        assertThat(ResultMerger.merge(List.of(a, runWith("on", 2)), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                        .run()
                        .jvmWarmup())
                .isEqualTo("on");
        assertThat(ResultMerger.merge(
                                List.of(a, runWith("off", 2)), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                        .run()
                        .jvmWarmup())
                .isNull();
    }
}
