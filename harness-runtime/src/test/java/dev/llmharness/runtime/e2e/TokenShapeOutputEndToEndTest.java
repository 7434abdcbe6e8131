package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output length a token shape asks for is the length the server generates and the harness
 * counts: the simulator's ground truth, the server's {@code usage.completion_tokens} (the CSV's
 * {@code output_tokens} with {@code token_source = usage}) and the result's token totals all agree
 * with each prompt's {@code outputTokens}.
 */
class TokenShapeOutputEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void everyRequestGeneratesExactlyTheOutputLengthItsPromptAsksFor() throws IOException {
        // Output lengths vary per request (uniform 5..40), so a constant would not pass by chance.
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.uniform(5, 40), 0, true, "cl100k_base", null);
        TrialSpec trial = E2e.trial(
                "shape",
                new OpenLoopModel(Arrival.POISSON, 20, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(3)),
                shape,
                SloSpec.NONE,
                11);
        PromptSource prompts = PromptSources.forWorkload(shape, trial.seed());
        Path result = dir.resolve("shape.json");
        Path csv = dir.resolve("shape.csv");
        List<GroundTruth> truth;
        try (SimServer sim = SimServer.start(SimConfig.defaults())) {
            E2e.Outcome o = E2e.llmh(
                    List.of(trial),
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--output",
                    result.toString(),
                    "--csv",
                    csv.toString(),
                    "--progress",
                    "0s");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            truth = sim.groundTruth(true);
        }

        assertThat(truth).hasSizeGreaterThan(20);
        for (GroundTruth t : truth) {
            int asked = prompts.prompt(Long.parseLong(t.requestId())).outputTokens();
            assertThat(t.outputTokens()).as("request %s", t.requestId()).isEqualTo(asked);
            assertThat(t.promptTokens()).as("request %s", t.requestId()).isEqualTo(64);
            assertThat(t.finishReason()).isEqualTo("length");
        }
        assertThat(truth.stream().mapToInt(GroundTruth::outputTokens).distinct().count())
                .as("lengths vary")
                .isGreaterThan(5);

        List<CSVRecord> rows;
        try (Reader in = Files.newBufferedReader(csv)) {
            rows = CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)
                    .getRecords();
        }
        assertThat(rows).isNotEmpty();
        long sum = 0;
        for (CSVRecord row : rows) {
            int asked = prompts.prompt(Long.parseLong(row.get("request_id"))).outputTokens();
            assertThat(row.get("status")).isEqualTo("completed");
            assertThat(row.get("token_source")).isEqualTo("usage");
            assertThat(Integer.parseInt(row.get("output_tokens")))
                    .as("request %s", row.get("request_id"))
                    .isEqualTo(asked);
            sum += asked;
        }

        TrialResult r = ResultJson.read(result).trials().get(0);
        assertThat(r.tokens().source()).isEqualTo("usage");
        assertThat(r.tokens().output()).isEqualTo(r.tokens().requestedOutput()).isEqualTo(sum);
        assertThat(r.counts().completed()).isEqualTo(rows.size());
    }
}
