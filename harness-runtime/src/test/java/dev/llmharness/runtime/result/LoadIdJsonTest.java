package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written when a closed loop's shapes were called {@code stages} and {@code ramp}, as an
 * open loop's are, reads with the names they have now: its worker stages as {@code
 * load=worker-stages}, so that they match a new file's and no longer an open-loop {@code @Stages}.
 */
class LoadIdJsonTest {
    @TempDir
    Path dir;

    private static TrialResult as(
            TrialResult t, String id, Map<String, String> params, String model, String shape, String description) {
        return t.withLoadId(
                id,
                params,
                new TrialResult.LoadInfo(
                        model,
                        null,
                        "open".equals(model) ? 8.0 : null,
                        null,
                        "closed".equals(model) ? 4 : null,
                        null,
                        shape,
                        null,
                        description));
    }

    @Test
    void anOldFilesClosedLoopShapesReadWithTheirOwnNamesAndOpenLoopStagesAsTheyWere() {
        // With its harness-limit verdict, which the reader would otherwise derive for an old file.
        TrialResult base = SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(8, 10), 1)
                .withHarnessLimit(HarnessLimit.of(80, 0));
        Map<String, String> workerParams = new LinkedHashMap<>();
        workerParams.put("load", "stages");
        workerParams.put("workload", "stages");
        TrialResult workers = as(
                base,
                "com.example.B.w{load=stages, workload=stages}",
                workerParams,
                "closed",
                "stages",
                "closed stages 1 → 4 over 10s workers");
        TrialResult rates = as(
                base,
                "com.example.B.s{load=stages}",
                Map.of("load", "stages"),
                "open",
                "stages",
                "stages POISSON 1 → 8 over 10s req/s");
        TrialResult ramp = as(
                base,
                "com.example.B.r{concurrency=4}",
                Map.of("concurrency", "4"),
                "closed",
                "ramp",
                "closed ramp 0 → 4 over 4s workers, then held");
        Path file = dir.resolve("old.json");
        ResultJson.write(
                new RunResult(
                        RunResult.SCHEMA_VERSION,
                        SyntheticResults.runInfo("0/1"),
                        SyntheticResults.target(),
                        List.of(workers, rates, ramp),
                        false),
                file);

        List<TrialResult> read = ResultJson.read(file).trials();

        // A parameter that only ends in "load" keeps its value.
        assertThat(read.get(0).id()).isEqualTo("com.example.B.w{load=worker-stages, workload=stages}");
        assertThat(read.get(0).params())
                .containsExactly(Map.entry("load", "worker-stages"), Map.entry("workload", "stages"));
        assertThat(read.get(0).load().shape()).isEqualTo("worker-stages");
        assertThat(read.get(0).load().description()).isEqualTo("closed stages 1 → 4 over 10s workers");
        assertThat(read.get(1)).isEqualTo(rates);
        assertThat(read.get(2).id()).isEqualTo("com.example.B.r{concurrency=4}");
        assertThat(read.get(2).load().shape()).isEqualTo("worker-ramp");
        // Everything else is as written.
        assertThat(read.get(0).metrics()).isEqualTo(workers.metrics());
        assertThat(read.get(0).timeline()).isEqualTo(workers.timeline());
    }
}
