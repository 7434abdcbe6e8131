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
import dev.llmharness.runtime.result.HarnessLimit;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmh gate} against two simulators on loopback: it runs N runs a side, interleaved, compares
 * them and fails on the slower one (every token 3 times slower: a difference no machine noise
 * hides, so that the test checks the gate's wiring, not its sensitivity), naming the metric; it
 * promotes a fit result and refuses an unfit one.
 */
class GateEndToEndTest {
    @TempDir
    Path dir;

    private static List<TrialSpec> trials() {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(8), 0, true, "cl100k_base", null);
        return List.of(E2e.trial(
                "gate",
                new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                Phase.ofDuration(Duration.ofSeconds(1)),
                Phase.ofDuration(Duration.ofSeconds(3)),
                shape,
                SloSpec.NONE,
                3));
    }

    private static SimConfig simulator(double itlScale) {
        return SimConfig.preset("fixed-itl").toBuilder()
                .fixedTtft(Duration.ofMillis(10))
                .fixedItl(Duration.ofMillis(20))
                .itlScale(itlScale)
                .build();
    }

    @Test
    void twoRunsASideInterleavedCatchASlowerServerAndNameTheMetric() throws Exception {
        try (SimServer base = SimServer.start(simulator(1.0));
                SimServer slower = SimServer.start(simulator(3.0))) {
            // A discarded run first: a cold JVM (class loading, JIT) would make the first run an
            // outlier of its side, which several runs a side are there to show, not to hide.
            E2e.llmh(
                    trials(),
                    "run",
                    "--url",
                    base.baseUrl(),
                    "--output",
                    dir.resolve("warm.json").toString());
            E2e.Outcome o = E2e.llmh(
                    trials(),
                    "gate",
                    "--results",
                    dir.toString(),
                    "--forks",
                    "3",
                    "--base-url",
                    base.baseUrl(),
                    "--",
                    "--url",
                    slower.baseUrl(),
                    "--progress",
                    "0s");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(1);
            List<String> order = new ArrayList<>();
            for (String line : o.out().split("\n")) {
                if (line.startsWith("llmh gate: run ")) {
                    order.add(line.substring("llmh gate: ".length(), line.indexOf(" side") + 5));
                }
            }
            assertThat(order)
                    .as("base and contender runs alternate")
                    .containsExactly(
                            "run 1 of 3, base side",
                            "run 1 of 3, contender side",
                            "run 2 of 3, base side",
                            "run 2 of 3, contender side",
                            "run 3 of 3, base side",
                            "run 3 of 3, contender side");
            assertThat(o.out())
                    .contains("REGRESSION: ")
                    .containsPattern("gate\\{rate=40\\} tpot\\.p50 \\+[0-9.]+ % worse");
            assertThat(dir.resolve("base.run-1.json")).isRegularFile();
            assertThat(dir.resolve("base.run-2.json")).isRegularFile();
            assertThat(dir.resolve("latest.run-3.json")).isRegularFile();
            assertThat(Files.readString(dir.resolve("comparison.md"))).contains("REGRESSION");
            assertThat(o.out()).doesNotContain("optimistic");
        }
    }

    @Test
    void theGatesIncludeSelectsTheTrialsItRuns() throws Exception {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(8), 0, true, "cl100k_base", null);
        List<TrialSpec> two = new ArrayList<>(trials());
        two.add(E2e.trial(
                "other",
                new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(1)),
                shape,
                SloSpec.NONE,
                3));
        try (SimServer sim = SimServer.start(simulator(1.0))) {
            // The README's form: --include before --, the run options after it. Without the
            // selection reaching each run, every trial on the class path ran N times a side.
            E2e.Outcome o = E2e.llmh(
                    two,
                    "gate",
                    "--results",
                    dir.toString(),
                    "--include",
                    "E2e\\.gate",
                    "--",
                    "--url",
                    sim.baseUrl(),
                    "--progress",
                    "0s",
                    "--warmup",
                    "none");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            assertThat(ResultJson.read(dir.resolve("latest.json")).trials())
                    .extracting(TrialResult::id)
                    .containsExactly(two.get(0).id());
        }
    }

    @Test
    void promotionRefusesAHarnessLimitedResultUnlessForced() throws Exception {
        try (SimServer sim = SimServer.start(simulator(1.0))) {
            E2e.Outcome o = E2e.llmh(
                    trials(),
                    "gate",
                    "--results",
                    dir.toString(),
                    "--update-baseline",
                    "--",
                    "--url",
                    sim.baseUrl(),
                    "--progress",
                    "0s");
            assertThat(o.exitCode()).as(o.toString()).isIn(Llmh.OK, Llmh.SLO_FAILED);
        }
        Path latest = dir.resolve("latest.json");
        RunResult r = ResultJson.read(latest);
        TrialResult t = r.trials().get(0);
        if (Files.exists(dir.resolve("baseline.json"))) {
            assertThat(dir.resolve("baseline.json")).hasSameTextualContentAs(latest);
        }
        assertThat(t.harnessLimit().measuredRequests()).isEqualTo(t.counts().sent());
        long measured = t.harnessLimit().measuredRequests();
        // The same result, marked by the harness as limited by itself: the field, no warning text.
        TrialResult limited = t.withHarnessLimit(HarnessLimit.of(measured, HarnessLimit.allowedLate(measured) + 1));
        Path unfit = dir.resolve("unfit.json");
        ResultJson.write(new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(limited), false), unfit);
        // Another run than latest.json, which it is compared with below (one run on both sides is refused).
        E2e.anotherRun(unfit, unfit);
        Path baseline = dir.resolve("other/baseline.json");
        E2e.Outcome refused = E2e.llmh(List.of(), "promote", unfit.toString(), "--baseline", baseline.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("is harness-limited").contains("--force");
        assertThat(baseline).doesNotExist();

        E2e.Outcome forced =
                E2e.llmh(List.of(), "promote", "--force", unfit.toString(), "--baseline", baseline.toString());
        assertThat(forced.exitCode()).as(forced.toString()).isEqualTo(0);
        assertThat(baseline).isRegularFile();

        // Compare warns about the unfit side, naming it.
        E2e.Outcome compared = E2e.compare(baseline.toString(), "--", latest.toString());
        assertThat(compared.out()).contains("(base): trial " + t.id() + " is harness-limited");

        // The field decides, not the text: the old warning on a trial the field calls fit is
        // promoted; the same text in a file written before the field (no harnessLimit) is refused.
        String oldWarning = "dispatch lag p99 exceeds 1 ms: the harness, not the server, is limiting this"
                + " measurement (p99 92.799 ms)";
        TrialResult fitWithText = t.withObservations(t.server(), t.cost(), List.of(oldWarning))
                .withHarnessLimit(HarnessLimit.of(measured, 0));
        Path text = dir.resolve("text.json");
        ResultJson.write(new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(fitWithText), false), text);
        Path textBaseline = dir.resolve("text/baseline.json");
        E2e.Outcome promoted = E2e.llmh(List.of(), "promote", text.toString(), "--baseline", textBaseline.toString());
        assertThat(promoted.exitCode()).as(promoted.toString()).isEqualTo(0);

        Path old = dir.resolve("old.json");
        Files.writeString(old, Files.readString(text).replaceFirst("(?s),\\s*\"harnessLimit\" : \\{[^}]*\\}", ""));
        assertThat(Files.readString(old)).doesNotContain("harnessLimit");
        Path oldBaseline = dir.resolve("old/baseline.json");
        E2e.Outcome oldRefused = E2e.llmh(List.of(), "promote", old.toString(), "--baseline", oldBaseline.toString());
        assertThat(oldRefused.exitCode()).as(oldRefused.toString()).isEqualTo(1);
        assertThat(oldRefused.err()).contains("is harness-limited: its file (written before");
    }
}
