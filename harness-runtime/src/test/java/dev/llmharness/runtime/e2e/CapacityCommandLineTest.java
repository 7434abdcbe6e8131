package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmh sweep} and {@code llmh release-gate}: help, and every bad input one line with exit 2, before any load. */
class CapacityCommandLineTest {
    @TempDir
    Path dir;

    private static TrialSpec trial(String method, double rate) {
        return E2e.trial(
                method,
                new OpenLoopModel(Arrival.POISSON, rate, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(5)),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                SloSpec.NONE,
                1);
    }

    @Test
    void helpRendersForBoth() {
        for (String command : List.of("sweep", "release-gate")) {
            E2e.Outcome o = E2e.llmh(List.of(), command, "--help");
            assertThat(o.exitCode()).as(o.toString()).isZero();
            assertThat(o.out()).contains("Usage: llmh " + command).contains("--slo");
        }
    }

    @Test
    void badInputIsOneLineWithExitCode2() {
        CapacityCall two = deadTarget(trial("a", 2), trial("a", 4), trial("b", 2));
        assertUsage(
                two.llmh("sweep", "--rates", "1,2"),
                "llmh sweep: --include \".*\" matches 2 benchmarks or parameter sets (com.example.E2e.a{rate=2},"
                        + " com.example.E2e.b{rate=2}); narrow it to one: it is a regular expression searched in"
                        + " these trial ids");
        assertUsage(
                two.llmh("sweep", "--include", "E2e.a", "--search", "--from", "1", "--to", "8"),
                "llmh sweep: --search looks for the highest rate whose SLOs hold, and com.example.E2e.a has no latency"
                        + " objective: add @Slo(ttft = \"p99 <= 2s\") to it or give --slo \"ttft p99 <= 2s\"");
        assertUsage(
                two.llmh("sweep", "--include", "E2e.a", "--from", "4"),
                "llmh sweep: invalid --from 4.0: give --from and --to together (see llmh sweep --help)");
        assertUsage(
                two.llmh("sweep", "--include", "E2e.a", "--slo", "latency p99 <= 1s", "--rates", "1,2"),
                "llmh sweep: invalid --slo latency p99 <= 1s: write a metric (ttft, tpot, itl or e2e) and a bound, e.g."
                        + " \"ttft p99 <= 500ms\" (see llmh sweep --help)");
        assertUsage(
                two.llmh("release-gate", "--include", "E2e.b", "--rate", "10"),
                "llmh release-gate: the release gate judges com.example.E2e.b by its SLOs, and it has no latency"
                        + " objective: add @Slo(ttft = \"p99 <= 2s\") to it or give --slo \"ttft p99 <= 2s\"");
        assertUsage(
                two.llmh(
                        "release-gate",
                        "--include",
                        "E2e.b",
                        "--rate",
                        "10",
                        "--windows-met",
                        "150%",
                        "--slo",
                        "ttft p99 <= 1s"),
                "llmh release-gate: invalid --windows-met 150%: write a percentage in (0, 100%], e.g. 95% (see llmh"
                        + " release-gate --help)");
        assertUsage(
                two.llmh(
                        "release-gate",
                        "--include",
                        "E2e.b",
                        "--rate",
                        "10",
                        "--min-throughput",
                        "101%",
                        "--slo",
                        "ttft p99 <= 1s"),
                "llmh release-gate: invalid --min-throughput 101%: write a percentage in [0, 100%], e.g. 90%, or 0% for"
                        + " no floor (see llmh release-gate --help)");
    }

    /**
     * A rate past Limits.MAX_RATE is refused before the first point runs: found at its own point, it
     * would have ended the sweep after the points before it had been measured.
     */
    @Test
    void aRateBeyondTheHighestIsRefusedBeforeAnyPoint() {
        CapacityCall one = deadTarget(trial("a", 2));
        assertUsage(
                one.llmh("sweep", "--rates", "2,2e6"),
                "llmh sweep: invalid --rates 2000000.0: every rate must be at most 1000000 requests/s"
                        + " (Limits.MAX_RATE), got 2000000.0 (see llmh sweep --help)");
        assertUsage(
                one.llmh("release-gate", "--rate", "600000", "--slo", "ttft p99 <= 1s"),
                "llmh release-gate: invalid --rate 600000.0: --rate times --spike-factor must be at most 1000000"
                        + " requests/s (Limits.MAX_RATE), got 1200000.0 (see llmh release-gate --help)");
    }

    /**
     * The per-window check's window must fit in every test: one longer than the shortest test is
     * refused before the first test runs, naming the test and the longest window that fits.
     */
    @Test
    void aWindowLongerThanATestIsRefusedBeforeAnyTest() {
        CapacityCall one = deadTarget(trial("a", 2));
        assertUsage(
                one.llmh("release-gate", "--rate", "5", "--soak", "8s", "--window", "9s", "--slo", "ttft p99 <= 1s"),
                "llmh release-gate: invalid --window 9s: it is longer than the 8s of the soak test (--soak), so no"
                        + " whole window fits: give --window 8s or shorter, or lengthen the test (see llmh"
                        + " release-gate --help)");
        assertUsage(
                one.llmh("release-gate", "--rate", "5", "--soak", "400h", "--slo", "ttft p99 <= 1s"),
                "llmh release-gate: invalid --soak 400h: a duration must be at most 168h (Limits.MAX_DURATION), got 400h"
                        + "; check the unit (m is minutes, h hours) (see llmh release-gate --help)");
        assertThat(one.output()).doesNotExist();
    }

    /**
     * A spike factor of 1 (or below) would run a flat "spike" at --rate, which {@code @Spike} refuses
     * at compile time: one line naming the fix, before any test runs.
     */
    @Test
    void aSpikeFactorOfOneOrLessIsRefusedBeforeAnyTest() {
        CapacityCall one = deadTarget(trial("a", 2));
        for (String factor : List.of("1", "0.5")) {
            assertUsage(
                    one.llmh("release-gate", "--rate", "5", "--spike-factor", factor, "--slo", "ttft p99 <= 1s"),
                    "llmh release-gate: invalid --spike-factor " + Double.parseDouble(factor) + ": the spike's peak is"
                            + " --rate times it, so give a finite factor above 1, e.g. 2 (see llmh release-gate"
                            + " --help)");
        }
        assertThat(one.output()).doesNotExist();
    }

    /** The trials against a port nobody listens on, writing {@code r.json}: every call here fails before any load. */
    private CapacityCall deadTarget(TrialSpec... trials) {
        return new CapacityCall(List.of(trials), "http://127.0.0.1:9", dir.resolve("r.json"));
    }

    private static void assertUsage(E2e.Outcome o, String line) {
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.USAGE);
        assertThat(o.err().strip()).as(o.toString()).isEqualTo(line);
    }
}
