package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimCommandTest {
    private static SimConfig parse(String... args) {
        SimCommand command = new SimCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void argumentsRebuildEveryPresetExactly() {
        for (String preset : SimConfig.PRESETS) {
            SimConfig config = SimConfig.preset(preset);
            assertThat(parse(SimCommand.arguments(config).toArray(String[]::new)))
                    .isEqualTo(config);
        }
    }

    @Test
    void argumentsRebuildAChangedConfigurationExactly() {
        SimConfig config = SimConfig.preset("small-fast").toBuilder()
                .port(18080)
                .seed(-7)
                .itlScale(1.2)
                .decodePerKvToken(Duration.ofNanos(7))
                .prefillPerToken(Duration.ofNanos(61_500))
                .faultRate(FaultKind.HTTP_503, 0.01)
                .faultRate(FaultKind.STALL, 0.25)
                .model("my \"model\"")
                .createdEpochSeconds(1_700_000_000L)
                .groundTruthCapacity(0)
                .build();
        assertThat(parse(SimCommand.arguments(config).toArray(String[]::new))).isEqualTo(config);
    }

    @Test
    void optionsOverrideThePreset() {
        SimConfig config = parse("--preset", "fixed-itl", "--itl", "35ms", "--ttft", "1.5ms", "--fault", "reset=0.1");
        assertThat(config.timing()).isEqualTo(SimConfig.Timing.FIXED);
        assertThat(config.fixedItl()).isEqualTo(Duration.ofMillis(35));
        assertThat(config.fixedTtft()).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(config.faultRates()).containsEntry(FaultKind.RESET, 0.1);
    }

    @Test
    void badOptionsExitWith2AndSayWhy() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SimCommand())
                .setErr(new PrintWriter(err))
                .execute("--preset", "zero", "--itl", "fast");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--itl").contains("invalid duration \"fast\"");

        StringWriter err2 = new StringWriter();
        code = new CommandLine(new SimCommand()).setErr(new PrintWriter(err2)).execute("--fault", "meteor=0.1");
        assertThat(code).isEqualTo(2);
        assertThat(err2.toString()).contains("unknown fault kind 'meteor'");
    }

    /**
     * The simulator is held to the harness's Limits: a context, a batch, a count of tokens or a
     * pause beyond them is a slip of the digits or of the unit, refused as one line, exit code 2.
     */
    @Test
    void valuesBeyondTheHarnessLimitsAreOneLine() {
        String[][] cases = {
            {"--max-model-len", "2000000", "--kv-cache-tokens", "2000000", "maxModelLen must be at most 1048576"},
            {"--max-num-seqs", "100001", "--preset", "default", "maxNumSeqs must be at most 100000"},
            {"--reasoning-tokens", "2000000", "--preset", "default", "reasoningTokens must be at most 1048576"},
            {"--loading", "400h", "--preset", "default", "a duration must be at most 168h (Limits.MAX_DURATION)"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            int code = new CommandLine(new SimCommand())
                    .setErr(new PrintWriter(err))
                    .execute(c[0], c[1], c[2], c[3]);
            assertThat(code).as(c[0]).isEqualTo(dev.llmharness.runtime.cli.Llmh.USAGE);
            assertThat(err.toString().strip())
                    .as(c[0])
                    .hasLineCount(1)
                    .startsWith("llmh sim: invalid simulator configuration: ")
                    .contains(c[4]);
        }
    }

    /** A port already taken is a configuration error: one line naming it, exit code 2 (1 means an SLO failed). */
    @Test
    void aPortInUseIsOneLineWithExitCode2() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int code = new CommandLine(new SimCommand())
                    .setErr(new PrintWriter(err))
                    .execute("--preset", "zero", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(dev.llmharness.runtime.cli.Llmh.USAGE);
            assertThat(err.toString().strip())
                    .hasLineCount(1)
                    .startsWith("llmh sim: ")
                    .contains(String.valueOf(taken.getLocalPort()))
                    .doesNotContain("\tat ");
        }
    }
}
