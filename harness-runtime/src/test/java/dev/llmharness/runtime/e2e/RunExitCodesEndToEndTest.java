package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exit code of {@code llmh run}, against the simulator (FIXED timing: TTFT 20 ms, ITL 20 ms). */
class RunExitCodesEndToEndTest {
    @TempDir
    Path dir;

    private static SimServer sim;

    @BeforeAll
    static void startSimulator() {
        sim = SimServer.start(SimConfig.preset("fixed-itl"));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    static TrialSpec trial(SloSpec slo) {
        return E2e.trial(
                "codes",
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(1)),
                ShapeWorkload.of(ShapePreset.SHORT_SHORT, "cl100k_base"),
                slo,
                5);
    }

    static SloSpec ttftP50AtMost(String limit) {
        return new SloSpec(List.of(LatencyBound.parse(SloMetric.TTFT, "p50 <= " + limit)), OptionalDouble.of(0.0));
    }

    @Test
    void zeroWhenTheRunCompletesAndEveryObjectivePasses() {
        Path file = dir.resolve("ok.json");
        E2e.Outcome o = E2e.llmh(
                List.of(trial(ttftP50AtMost("2s"))),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                file.toString(),
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(0);
        TrialResult t = ResultJson.read(file).trials().get(0);
        assertThat(t.slo()).allSatisfy(v -> assertThat(v.passed()).isTrue());
        assertThat(o.out()).contains("PASS  ttft p50 <= 2s");
    }

    @Test
    void oneWhenAnObjectiveFailsAndTheResultIsStillWritten() {
        // The simulator's TTFT is 20 ms, so p50 <= 5 ms cannot hold.
        Path file = dir.resolve("slo.json");
        E2e.Outcome o = E2e.llmh(
                List.of(trial(ttftP50AtMost("5ms"))),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                file.toString(),
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
        assertThat(o.out()).contains("FAIL  ttft p50 <= 5ms");
        assertThat(ResultJson.read(file).trials().get(0).slo())
                .anySatisfy(v -> assertThat(v.passed()).isFalse());
    }

    @Test
    void twoWhenTheTargetIsUnreachable() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path file = dir.resolve("down.json");
        E2e.Outcome o = E2e.llmh(
                List.of(trial(SloSpec.NONE)), "run", "--url", "http://127.0.0.1:" + port, "--output", file.toString());
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).contains("127.0.0.1:" + port);
        assertThat(file).doesNotExist();
    }

    @Test
    void twoWhenTheServerDoesNotServeTheModelNamingTheOnesItDoes() {
        Path file = dir.resolve("model.json");
        E2e.Outcome o = E2e.llmh(
                List.of(trial(SloSpec.NONE)),
                "run",
                "--url",
                sim.baseUrl(),
                "--model",
                "no-such-model",
                "--output",
                file.toString());
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).contains("does not serve model \"no-such-model\"").contains("sim-llm");
        assertThat(file).doesNotExist();
    }

    @Test
    void twoForABadOptionNamingIt() {
        E2e.Outcome o =
                E2e.llmh(List.of(trial(SloSpec.NONE)), "run", "--url", sim.baseUrl(), "--duration-scale", "twice");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err()).contains("--duration-scale");
    }

    @Test
    void twoBeforeAnyLoadWhenTheResultCannotBeWritten() throws IOException {
        // Its parent "directory" is a regular file.
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        sim.groundTruth(true);
        E2e.Outcome o = E2e.llmh(
                List.of(trial(SloSpec.NONE)),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                notADirectory.resolve("r.json").toString(),
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(2);
        assertThat(o.err())
                .contains("--output " + notADirectory.resolve("r.json"))
                .hasLineCount(1);
        assertThat(sim.groundTruth(true)).as("requests sent to the server").isEmpty();
    }

    @Test
    void threeWhenTheResultCannotBeWrittenAfterTheRunWhichKeepsItElsewhere() throws Exception {
        // Writable when checked; a file takes the folder's place while the trial runs.
        Path folder = dir.resolve("later");
        sim.groundTruth(true);
        Thread saboteur = new Thread(() -> {
            try {
                while (sim.groundTruth(false).isEmpty()) {
                    Thread.sleep(5);
                }
                Files.writeString(folder, "x");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        saboteur.start();
        E2e.Outcome o = E2e.llmh(
                List.of(trial(SloSpec.NONE)),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                folder.resolve("r.json").toString(),
                "--progress",
                "0s");
        saboteur.join(10_000);
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(3);
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("the result was written to (\\S+) instead")
                .matcher(o.err());
        assertThat(kept.find()).as(o.toString()).isTrue();
        Path elsewhere = Path.of(kept.group(1));
        try {
            assertThat(dev.llmharness.runtime.result.ResultJson.read(elsewhere)
                            .trials()
                            .get(0)
                            .counts()
                            .completed())
                    .isPositive();
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }
}
