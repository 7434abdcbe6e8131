package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
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
     * Every numeric option is bounded at both ends: the harness's Limits (a context, a batch, a count
     * of tokens, a pause), or the simulator's own (SimConfig.MAX_*). A value just outside is a slip
     * of the digits or of the unit, refused as one line naming the field, its option and the range,
     * exit code 2, before the server starts; {@link #valuesAtTheBoundsAreAccepted} has the values
     * just inside.
     */
    @Test
    void valuesBeyondTheBoundsAreOneLine() {
        String[][] cases = {
            {"--port 65536", "port (--port) must be 0 to 65535 (0 picks a free port), was 65536"},
            {"--io-threads 1025", "ioThreads (--io-threads) must be 1 to 1024 (SimConfig.MAX_IO_THREADS), was 1025"},
            {"--io-threads 0", "ioThreads (--io-threads) must be 1 to 1024"},
            {"--itl-scale 1000.5", "itlScale (--itl-scale) must be above 0 and at most 1000 (SimConfig.MAX_ITL_SCALE"},
            {"--itl-scale 0", "itlScale (--itl-scale) must be above 0 and at most 1000"},
            {"--itl-scale NaN", "itlScale (--itl-scale) must be above 0 and at most 1000"},
            {"--max-num-seqs 100001", "maxNumSeqs (--max-num-seqs) must be 1 to 100000 (Limits.MAX_CONCURRENCY)"},
            {
                "--max-model-len 1048577 --kv-cache-tokens 2000000",
                "maxModelLen (--max-model-len) must be 2 to 1048576 tokens (Limits.MAX_TOKENS), was 1048577"
            },
            {
                "--kv-cache-tokens 1073741825",
                "kvCacheTokens (--kv-cache-tokens) must be 8192 to 1073741824 tokens (SimConfig.MAX_KV_CACHE_TOKENS)"
            },
            {
                "--max-num-batched-tokens 1073741825",
                "maxBatchedTokens (--max-num-batched-tokens) must be 0 to 1073741824 tokens (0 for no budget"
            },
            {"--max-num-batched-tokens -1", "maxBatchedTokens (--max-num-batched-tokens) must be 0 to 1073741824"},
            {"--default-max-tokens 8192", "defaultMaxTokens (--default-max-tokens) must be 1 to 8191 tokens"},
            {
                "--ground-truth-capacity 1000001",
                "groundTruthCapacity (--ground-truth-capacity) must be 0 to 1000000 records (0 keeps none;"
                        + " SimConfig.MAX_GROUND_TRUTH_RECORDS), was 1000001"
            },
            {"--ground-truth-capacity -1", "groundTruthCapacity (--ground-truth-capacity) must be 0 to 1000000"},
            {
                "--max-request-bytes 268435457",
                "maxRequestBytes (--max-request-bytes) must be 1024 to 268435456 bytes (SimConfig.MAX_REQUEST_BYTES,"
                        + " 256 MiB), was 268435457"
            },
            {"--max-request-bytes 1023", "maxRequestBytes (--max-request-bytes) must be 1024 to 268435456"},
            {
                "--chat-template-tokens 1048577",
                "chatTemplateTokens (--chat-template-tokens) must be 0 to 1048576 tokens (Limits.MAX_TOKENS)"
            },
            {
                "--reasoning-tokens 1048577",
                "reasoningTokens (--reasoning-tokens) must be 0 to 1048576 tokens (Limits.MAX_TOKENS)"
            },
            {"--loading 400h", "loading (--loading) must be at most 168h (Limits.MAX_DURATION), got 400h"},
            {"--step-base 200h", "stepBase (--step-base) must be at most 168h (Limits.MAX_DURATION)"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            int code = new CommandLine(new SimCommand())
                    .setErr(new PrintWriter(err))
                    .execute(("--preset default " + c[0]).split(" "));
            assertThat(code).as(c[0]).isEqualTo(dev.llmharness.runtime.cli.Llmh.USAGE);
            assertThat(err.toString().strip())
                    .as(c[0])
                    .hasLineCount(1)
                    .startsWith("llmh sim: invalid simulator configuration: ")
                    .contains(c[1]);
        }
    }

    /** The values just inside each bound of {@link #valuesBeyondTheBoundsAreOneLine} are taken as given. */
    @Test
    void valuesAtTheBoundsAreAccepted() {
        for (String args : List.of(
                "--port 65535",
                "--io-threads 1024",
                "--io-threads 1",
                "--itl-scale 1000.0",
                "--itl-scale 0.001",
                "--max-num-seqs 100000",
                "--max-model-len 1048576 --kv-cache-tokens 1048576",
                "--kv-cache-tokens 1073741824",
                "--max-num-batched-tokens 1073741824",
                "--max-num-batched-tokens 0",
                "--default-max-tokens 8191",
                "--ground-truth-capacity 1000000",
                "--ground-truth-capacity 0",
                "--max-request-bytes 268435456",
                "--max-request-bytes 1024",
                "--chat-template-tokens 1048576",
                "--reasoning-tokens 1048576",
                "--loading 168h")) {
            List<String> given = List.of(args.split(" "));
            List<String> rebuilt = SimCommand.arguments(parse(("--preset default " + args).split(" ")));
            for (int i = 0; i < given.size(); i += 2) {
                assertThat(java.util.Collections.indexOfSubList(rebuilt, given.subList(i, i + 2)))
                        .as(args + " -> " + rebuilt)
                        .isNotNegative();
            }
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
