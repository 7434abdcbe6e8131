package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --preopen auto} through {@code llmh run} against the simulator on loopback: a spike of
 * short requests opens what Little's law says with the hold time its warmup measured (not one
 * connection per request of its peak second), a later trial of the same benchmark is sized before
 * its first instant from the earlier one's requests, and a server that states its slots is never
 * given more.
 */
class PreopenEndToEndTest {
    private static final ShapeWorkload FOUR_TOKENS = new ShapeWorkload(
            ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(4), 0, true, "cl100k_base", null);

    /** Basis of a size measured from requests: {@code peak R req/s x D ms (2 x p99 P ms of N SOURCE)}. */
    private static final Pattern MEASURED =
            Pattern.compile("peak (\\d+) req/s x ([0-9.]+ m?s) \\(2 x p99 ([0-9.]+ m?s) of (\\d+) ([a-z ]+)\\)"
                    + "(, at most the server's \\d+ slots)?");

    /** {@code 5.87 ms} or {@code 1.94 s} in seconds. */
    private static double seconds(String figure) {
        String[] f = figure.split(" ");
        return Double.parseDouble(f[0]) / (f[1].equals("ms") ? 1000 : 1);
    }

    @TempDir
    Path dir;

    /** Requests of about 5 ms: 2 ms to the first token, 1 ms to each of the 3 further ones. */
    private static SimServer shortRequests(int slots) {
        return SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .fixedTtft(Duration.ofMillis(2))
                .fixedItl(Duration.ofMillis(1))
                .maxNumSeqs(slots)
                .build());
    }

    @Test
    void aSpikeOfShortRequestsOpensWhatItsWarmupMeasuredNotOnePerRequestOfItsPeakSecond() throws Exception {
        ShapedLoadModel spike = ShapedLoadModel.spike(
                Arrival.CONSTANT,
                1,
                10,
                400,
                Duration.ofSeconds(3),
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(1),
                0);
        TrialSpec trial = E2e.trial(
                "spike",
                spike,
                Phase.ofDuration(Duration.ofSeconds(2)),
                Phase.ofDuration(Duration.ofSeconds(60)),
                FOUR_TOKENS,
                SloSpec.NONE,
                1);
        try (SimServer sim = shortRequests(256)) {
            E2e.Outcome o = run(sim, List.of(trial));
            TrialResult.Connections c = ResultJson.read(dir.resolve("r.json"))
                    .trials()
                    .get(0)
                    .window()
                    .connections();
            Matcher m = MEASURED.matcher(c.basis());
            assertThat(m.matches()).as(c.basis()).isTrue();
            assertThat(m.group(1)).isEqualTo("400");
            assertThat(m.group(5)).isEqualTo("warmup requests");
            // Those of the warmup's second half (10 req/s): from 1 s to 1.5 s, 3 s for 32.
            assertThat(Long.parseLong(m.group(4))).isBetween(3L, 12L);
            double p99Seconds = seconds(m.group(3));
            // Each request takes at least its 5 ms of tokens.
            assertThat(p99Seconds).isGreaterThanOrEqualTo(0.0045);
            // Little's law with the measured hold time (printed with 3 digits), within the slots.
            double little = 400 * 2 * p99Seconds;
            assertThat((double) c.wanted())
                    .as(c.basis())
                    .isCloseTo(Math.min(256, little), org.assertj.core.data.Offset.offset(1 + little * 0.01));
            if (p99Seconds < 0.1) {
                // A quiet machine (on a loaded one, at idle priority, a few requests take long):
                // requests of a few ms do not ask for the 400 connections of requests of 1 s.
                assertThat(c.wanted()).isLessThan(100);
            }
            assertThat(c.preopened()).isLessThanOrEqualTo(c.wanted());
            assertThat(o.out()).contains("connections: ").contains(c.basis());
        }
    }

    @Test
    void aLaterTrialOfTheSameBenchmarkIsSizedFromTheEarlierOnesRequests() throws Exception {
        TrialSpec first = E2e.trial(
                "same",
                new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                Phase.ofDuration(Duration.ofSeconds(1)),
                Phase.ofDuration(Duration.ofSeconds(1)),
                FOUR_TOKENS,
                SloSpec.NONE,
                1);
        TrialSpec second = E2e.trial(
                "same",
                new OpenLoopModel(Arrival.CONSTANT, 300, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(1)),
                FOUR_TOKENS,
                SloSpec.NONE,
                1);
        try (SimServer sim = shortRequests(256)) {
            run(sim, List.of(first, second));
            RunResult r = ResultJson.read(dir.resolve("r.json"));
            assertThat(r.trials().get(0).window().connections().basis()).endsWith(" warmup requests)");
            TrialResult.Connections c = r.trials().get(1).window().connections();
            Matcher m = MEASURED.matcher(c.basis());
            assertThat(m.matches()).as(c.basis()).isTrue();
            assertThat(m.group(5)).isEqualTo("requests of the previous trial");
            assertThat(Long.parseLong(m.group(4)))
                    .as("the first trial's window: 40 req/s for 1 s")
                    .isBetween(30L, 50L);
            double little = 300 * 2 * seconds(m.group(3));
            assertThat((double) c.wanted())
                    .as(c.basis())
                    .isCloseTo(Math.min(256, little), org.assertj.core.data.Offset.offset(1 + little * 0.01));
        }
    }

    @Test
    void aServerThatStatesItsSlotsIsNeverGivenMore() throws Exception {
        TrialSpec trial = E2e.trial(
                "workers",
                new ClosedLoopModel(8, Duration.ZERO),
                Phase.NONE,
                Phase.ofRequests(16),
                FOUR_TOKENS,
                SloSpec.NONE,
                1);
        // The simulator states its batch slots as llama.cpp does: /props total_slots.
        try (SimServer sim = shortRequests(3)) {
            run(sim, List.of(trial));
            TrialResult.Connections c = ResultJson.read(dir.resolve("r.json"))
                    .trials()
                    .get(0)
                    .window()
                    .connections();
            assertThat(c.wanted()).isEqualTo(3);
            assertThat(c.basis()).isEqualTo("its 8 workers, at most the server's 3 slots");
        }
    }

    private E2e.Outcome run(SimServer sim, List<TrialSpec> trials) {
        E2e.Outcome o = E2e.llmh(
                trials,
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                dir.resolve("r.json").toString(),
                "--preopen",
                "auto",
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        return o;
    }
}
