package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Bad input to every subcommand is one line naming the problem, with exit code 2: unknown
 * options, bad values from options or system properties, output files that cannot be written
 * (checked before any load), and result files that cannot be read.
 */
class CommandLineErrorsTest {
    private static final List<String> SUBCOMMANDS = List.of("run", "list", "compare", "merge", "sim", "selfbench");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearProperties() {
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("llmh."))
                .forEach(System::clearProperty);
    }

    private int llmh(String... args) {
        var suite = LlmhTest.suite(List.of(LlmhTest.trial("a", 100, SloSpec.NONE)));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(
                            () -> List.of(suite),
                            t -> i -> new Prompt(i, "p" + i, 5, 3, false, null),
                            null,
                            trial -> TokenCounter.contentEvents(),
                            name -> null));
                }
                if (cls == ListCommand.class) {
                    return cls.cast(new ListCommand(() -> List.of(suite)));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = Llmh.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** The one line on standard error, with no trace of the implementation in it. */
    private String oneCleanLine() {
        String text = err.toString();
        assertThat(text).as(text).hasLineCount(1);
        assertThat(text)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("[Source")
                .doesNotContain("\tat ")
                .doesNotContain("Usage:");
        return text.strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "list", "compare a.json -- b.json", "merge -o m.json a.json", "sim", "selfbench"})
    void anUnknownOptionIsOneLineThatSaysWhereTheHelpIs(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add(1, "--no-such-option");
        String subcommand = args.get(0);
        assertThat(llmh(args.toArray(String[]::new))).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .startsWith("llmh " + subcommand + ": ")
                .contains("--no-such-option")
                .endsWith("(see llmh " + subcommand + " --help)");
    }

    @Test
    void aMisspeltOptionGetsASuggestion() {
        assertThat(llmh("run", "--ouput", "x.json")).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("did you mean --output?");
    }

    @Test
    void everyHelpTextFormatsWithoutPicocliWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
            List<CommandLine> all = new ArrayList<>(List.of(root));
            for (int i = 0; i < all.size(); i++) {
                all.addAll(all.get(i).getSubcommands().values());
            }
            for (CommandLine c : all) {
                assertThat(c.getUsageMessage()).isNotBlank();
            }
            assertThat(all.stream().map(c -> c.getCommandName())).containsAll(SUBCOMMANDS);
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aBadValueFromASystemPropertyNamesTheProperty() {
        System.setProperty("llmh.progress", "-1s");
        assertThat(llmh(
                        "run",
                        "--url",
                        "http://127.0.0.1:1",
                        "--output",
                        dir.resolve("r.json").toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("-Dllmh.progress=-1s");
        clearProperties();
        err.getBuffer().setLength(0);

        System.setProperty("llmh.rateScale", "fast");
        assertThat(llmh("run", "--output", dir.resolve("r.json").toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("'fast'").contains("-Dllmh.rateScale");
        clearProperties();
        err.getBuffer().setLength(0);

        System.setProperty("llmh.shard", "4/4");
        assertThat(llmh(
                        "run",
                        "--url",
                        "http://127.0.0.1:1",
                        "--output",
                        dir.resolve("r.json").toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .startsWith("llmh run: invalid -Dllmh.shard=4/4: K counts shards from 0, so it must be 0 to 3 for 4"
                        + " shards, got 4 (the last is 3/4)");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    /**
     * Every tuning property (the options' and the property-only ones such as {@code
     * llmh.loopDispatch}) is read one way: a bad value is one line naming the property, the value
     * and the accepted values, exit code 2, before any load, for every command that runs load.
     */
    @ParameterizedTest
    @ValueSource(strings = {"run", "sweep", "gate"})
    void aBadTuningPropertyIsOneLineNamingItsValuesBeforeAnyLoad(String command) throws Exception {
        String url = deadUrl();
        for (dev.llmharness.runtime.settings.Choice<?> setting : dev.llmharness.runtime.run.TuningSettings.ALL) {
            clearProperties();
            err.getBuffer().setLength(0);
            System.setProperty(setting.property(), "sometimes");
            List<String> args = switch (command) {
                case "gate" ->
                    List.of("gate", "--results", dir.resolve("results").toString(), "--", "--url", url);
                default ->
                    List.of(
                            command,
                            "--url",
                            url,
                            "--output",
                            dir.resolve(command + ".json").toString());
            };
            assertThat(llmh(args.toArray(String[]::new)))
                    .as(setting + ": " + err)
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine())
                    .as(setting.toString())
                    .startsWith("llmh " + command + ": invalid -D" + setting.property() + "=sometimes: use "
                            + setting.accepted())
                    .doesNotContain("cannot connect");
        }
        assertThat(dir.resolve("results/latest.json")).doesNotExist();
    }

    /** What each setting accepts, as the lines above name it. */
    @Test
    void theAcceptedValuesAreNamedAsTheyAreWritten() {
        assertThat(dev.llmharness.runtime.client.TransportKind.SETTING.accepted())
                .isEqualTo("threads or event-loop");
        assertThat(dev.llmharness.runtime.run.LoopDispatch.SETTING.accepted()).isEqualTo("thread or loop");
        assertThat(dev.llmharness.runtime.load.RequestThreads.SETTING.accepted())
                .isEqualTo("virtual or platform");
        assertThat(dev.llmharness.runtime.load.IdlePriority.SETTING.accepted()).isEqualTo("idle or normal");
        assertThat(dev.llmharness.runtime.run.JvmWarmup.SETTING.accepted()).isEqualTo("auto or off");
        assertThat(dev.llmharness.runtime.sim.CpuSplit.SETTING.accepted()).isEqualTo("auto or off");
        assertThat(dev.llmharness.runtime.run.Preopen.SETTING.accepted())
                .isEqualTo("auto, off or a number of connections");
    }

    @Test
    void aBadValueOnTheCommandLineNamesTheOption() {
        for (String[] args : List.of(
                new String[] {"--progress", "-1s"},
                new String[] {"--duration", "0s"},
                new String[] {"--duration", "400h"},
                new String[] {"--warmup", "400h"},
                new String[] {"--rate-scale", "0"},
                new String[] {"--duration-scale", "-2"},
                new String[] {
                    "--csv-text", "1048577", "--csv-text must be at most 1048576 characters (Limits.MAX_CSV_TEXT)"
                },
                new String[] {"--csv-text", "-1", "--csv-text is a number of characters, >= 0"},
                new String[] {"--replicas", "100001", "--replicas must be at most 100000 (Limits.MAX_REPLICAS)"},
                new String[] {"--gpus-used", "1025", "--gpus-used must be at most 1024 (Limits.MAX_GPUS)"},
                new String[] {
                    "--gpus-per-instance", "0", "--gpus-per-instance counts the GPUs one instance has: it must be >= 1"
                },
                new String[] {"--idle-timeout", "10 parsecs"},
                new String[] {"--warmup", "soon"},
                new String[] {"--jvm-warmup", "sometimes", "use auto or off"},
                new String[] {"--cpu-split", "sometimes", "use auto or off"},
                new String[] {"--transport", "netty", "use threads or event-loop"},
                new String[] {"--jit-priority", "low", "use idle or normal"},
                new String[] {"--preopen", "-3", "use auto, off or a number of connections"},
                new String[] {
                    "--shard",
                    "1/1",
                    "K counts shards from 0, so it must be 0 to 0 for 1 shard, got 1 (the last is 0/1)"
                },
                new String[] {"--shard", "-1/2", "K counts shards from 0, so it must be 0 to 1 for 2 shards, got -1"},
                new String[] {"--shard", "0/0", "N, the number of shards, must be 1 to 10000 (Shard.MAX_COUNT), got 0"},
                new String[] {"--shard", "a/b", "write K/N, shard K (from 0) of N, e.g. 0/4 to 3/4 for four shards"},
                new String[] {"--shard", "3", "write K/N, shard K (from 0) of N, e.g. 0/4 to 3/4 for four shards"})) {
            err.getBuffer().setLength(0);
            List<String> all = new ArrayList<>(List.of("run", "--url", "http://127.0.0.1:1"));
            all.addAll(List.of(args).subList(0, 2));
            assertThat(llmh(all.toArray(String[]::new))).as(err.toString()).isEqualTo(Llmh.USAGE);
            String line = oneCleanLine();
            assertThat(line).contains(args[0] + " " + args[1]);
            if (args.length > 2) {
                assertThat(line).contains("invalid " + args[0] + " " + args[1] + ": " + args[2]);
            }
        }
    }

    /**
     * Every option that takes a number, with where its bound is enforced (both ends: a slip of the
     * digits is one line and exit 2, as an annotation's is a compile error). A new numeric option
     * fails {@link #everyOptionThatTakesANumberIsBounded} until it is listed here with its bound.
     */
    private static final Map<String, String> NUMERIC = Map.ofEntries(
            Map.entry("--duration-scale", "> 0, and no window or warmup past Limits.MAX_DURATION (TrialOverrides)"),
            Map.entry("--rate-scale", "> 0, and no rate past Limits.MAX_RATE nor speed-up past MAX_SPEEDUP"),
            Map.entry("--seed", "any long: every value is a seed"),
            Map.entry("--csv-text", "0 to Limits.MAX_CSV_TEXT"),
            Map.entry("--metrics-port", "a port, 0 to 65535"),
            Map.entry("--instance-price", "finite and > 0 (CostModel); in any currency, so no ceiling"),
            Map.entry("--gpus-per-instance", "1 to Limits.MAX_GPUS"),
            Map.entry("--gpus-used", "1 to Limits.MAX_GPUS"),
            Map.entry("--gpu-utilization", "(0, 1]"),
            Map.entry("--replicas", "1 to Limits.MAX_REPLICAS"),
            Map.entry("--from", "> 0, at most Limits.MAX_RATE"),
            Map.entry("--to", "> --from, at most Limits.MAX_RATE"),
            Map.entry("--points", "2 to 100"),
            Map.entry("--max-concurrency", "1 to Limits.MAX_CONCURRENCY"),
            Map.entry("--max-trials", "2 to 100"),
            Map.entry("--rate", "> 0, times --spike-factor at most Limits.MAX_RATE"),
            Map.entry("--spike-factor", "> 1, times --rate at most Limits.MAX_RATE"),
            Map.entry("--resamples", "200 to CompareOptions.MAX_RESAMPLES"),
            Map.entry("--confidence", "(0.5, 1)"),
            Map.entry("--rates", "each > 0, at most Limits.MAX_RATE (SweepCommand, SelfBenchConfig)"),
            Map.entry("--concurrency", "each 1 to Limits.MAX_CONCURRENCY (SelfBenchConfig)"),
            Map.entry("--input-tokens", "1 to Limits.MAX_TOKENS (SelfBenchConfig)"),
            Map.entry("--output-tokens", "1 to Limits.MAX_TOKENS (SelfBenchConfig)"),
            Map.entry("--port", "0 to 65535 (SimConfig)"),
            Map.entry("--max-num-seqs", "1 to Limits.MAX_CONCURRENCY (SimConfig)"),
            Map.entry("--max-model-len", "2 to Limits.MAX_TOKENS (SimConfig)"),
            Map.entry("--default-max-tokens", "1 to --max-model-len - 1 (SimConfig)"),
            Map.entry("--chat-template-tokens", "0 to Limits.MAX_TOKENS (SimConfig)"),
            Map.entry("--reasoning-tokens", "0 to Limits.MAX_TOKENS (SimConfig)"),
            Map.entry("--created", "epoch seconds >= 0 (SimConfig): every value is a time"),
            Map.entry("--io-threads", "1 to SimConfig.MAX_IO_THREADS"),
            Map.entry("--itl-scale", "> 0, at most SimConfig.MAX_ITL_SCALE"),
            Map.entry("--kv-cache-tokens", "--max-model-len to SimConfig.MAX_KV_CACHE_TOKENS"),
            Map.entry("--max-num-batched-tokens", "0 to SimConfig.MAX_KV_CACHE_TOKENS"),
            Map.entry("--ground-truth-capacity", "0 to SimConfig.MAX_GROUND_TRUTH_RECORDS"),
            Map.entry("--max-request-bytes", "1024 to SimConfig.MAX_REQUEST_BYTES"));

    /**
     * Every option of every command that takes a number (or a list of numbers) is named above with
     * its bound; none is left to the range of its Java type. The class test for numeric options,
     * as {@link #everyOptionThatTakesTextIsAChoiceOrNamedFreeForm} is for text.
     */
    @Test
    void everyOptionThatTakesANumberIsBounded() {
        CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
        List<String> unlisted = new ArrayList<>();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (Map.Entry<String, CommandLine> c : root.getSubcommands().entrySet()) {
            for (CommandLine.Model.OptionSpec o : c.getValue().getCommandSpec().options()) {
                Class<?> type = o.type();
                Class<?> element = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : type;
                boolean number = Number.class.isAssignableFrom(boxed(type))
                        || (java.util.Collection.class.isAssignableFrom(type)
                                && Number.class.isAssignableFrom(boxed(element)));
                if (!number) {
                    continue;
                }
                String name = o.longestName();
                seen.add(name);
                if (!NUMERIC.containsKey(name)) {
                    unlisted.add("llmh " + c.getKey() + " " + name);
                }
            }
        }
        assertThat(unlisted)
                .as("options that take a number without a bound named here")
                .isEmpty();
        assertThat(seen).as("the walk found the numeric options").contains("--csv-text", "--replicas", "--rate");
        assertThat(NUMERIC.keySet()).as("no stale entry").allMatch(seen::contains);
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }

    /**
     * Options that take text without a fixed set of values, each with what reads it. Every other
     * option that takes text must be one of {@link OptionChoices#byCommand()}, read by its {@code
     * Choice}: a new option with a fixed set of values that is parsed another way fails {@link
     * #everyOptionThatTakesTextIsAChoiceOrNamedFreeForm} until it is listed there (or, when it truly
     * takes free text, here with its reason).
     */
    private static final Map<String, String> FREE_FORM = Map.ofEntries(
            Map.entry("--include", "a regular expression (SuiteSelection)"),
            Map.entry("--url", "a server URL (ServerUrl)"),
            Map.entry("--base-url", "a server URL (ServerUrl)"),
            Map.entry("--push", "a Pushgateway URL (ServerUrl)"),
            Map.entry("--scrape", "auto, none or Prometheus URLs (ServerUrl)"),
            Map.entry("--model", "a model name"),
            Map.entry("--host", "an address to bind"),
            Map.entry("--api-key-env", "an environment variable's name"),
            Map.entry("--push-auth-env", "an environment variable's name"),
            Map.entry("--push-job", "a Pushgateway label"),
            Map.entry("--push-instance", "a Pushgateway label"),
            Map.entry("--duration", "a duration (OptionText.duration, at most Limits.MAX_DURATION)"),
            Map.entry("--progress", "a duration (OptionText.duration)"),
            Map.entry("--connect-timeout", "a duration (OptionText.duration)"),
            Map.entry("--first-token-timeout", "a duration (OptionText.duration)"),
            Map.entry("--idle-timeout", "a duration (OptionText.duration)"),
            Map.entry("--total-timeout", "a duration (OptionText.duration)"),
            Map.entry("--level", "a duration (OptionText.duration)"),
            Map.entry("--spike-hold", "a duration (OptionText.duration)"),
            Map.entry("--soak", "a duration (OptionText.duration)"),
            Map.entry("--window", "whole seconds (OptionText.duration)"),
            Map.entry("--scrape-interval", "a duration, at most Limits.MAX_DURATION"),
            Map.entry("--push-interval", "a duration, at most Limits.MAX_DURATION"),
            Map.entry("--step", "a duration (SelfBenchConfig, at most Limits.MAX_DURATION)"),
            Map.entry("--ttft", "a duration (the simulator's or selfbench's)"),
            Map.entry("--itl", "a duration (the simulator's or selfbench's)"),
            Map.entry("--step-base", "a duration (the simulator's)"),
            Map.entry("--prefill-per-token", "a duration (the simulator's)"),
            Map.entry("--decode-per-seq", "a duration (the simulator's)"),
            Map.entry("--decode-per-kv-token", "a duration (the simulator's)"),
            Map.entry("--loading", "a duration (the simulator's)"),
            Map.entry("--warmup", "a duration, a request count (50req) or none"),
            Map.entry("--sim", "the simulator's options, read by llmh sim's own parser"),
            Map.entry("--base-sim", "the simulator's options, read by llmh sim's own parser"),
            Map.entry("--compare-options", "llmh compare's options, read by llmh compare's own parser"),
            Map.entry("--max-error-rate", "a percentage, a fraction or none (TrialOverrides.parseMaxErrorRate)"),
            Map.entry("--shard", "K/N, shard K (from 0) of N (Shard.parse, N at most Shard.MAX_COUNT)"),
            Map.entry("--windows-met", "a percentage"),
            Map.entry("--min-throughput", "a percentage"),
            Map.entry("--precision", "a percentage"),
            Map.entry("--slo", "an objective such as \"ttft p99 <= 1s\""),
            Map.entry("--threshold", "METRIC=VALUE pairs (CompareOptions)"),
            Map.entry("--gate", "metric names (CompareOptions)"),
            Map.entry("--fault", "NAME=PROBABILITY pairs (FaultKind)"),
            Map.entry("--sim-jvm-option", "a JVM option"),
            Map.entry("--sim-cpus", "a CPU list (taskset) or none"),
            Map.entry("--harness-cpus", "a CPU list (taskset) or none"));

    /**
     * Every option of every command that takes text is either read by a {@code Choice} of {@link
     * OptionChoices} or named above as free-form text; none is an enum read by picocli, whose
     * message ("expected one of [A, B] (case-sensitive)") is not ours. The class test for options,
     * as TuningSettingsTest is for properties.
     */
    @Test
    void everyOptionThatTakesTextIsAChoiceOrNamedFreeForm() {
        CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
        Map<String, List<dev.llmharness.runtime.settings.Choice<?>>> choices = OptionChoices.byCommand();
        List<String> unlisted = new ArrayList<>();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (Map.Entry<String, CommandLine> c : root.getSubcommands().entrySet()) {
            java.util.Set<String> chosen = new java.util.HashSet<>();
            choices.getOrDefault(c.getKey(), List.of()).forEach(s -> chosen.add(s.option()));
            for (CommandLine.Model.OptionSpec o : c.getValue().getCommandSpec().options()) {
                Class<?> type = o.type();
                Class<?> element = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : type;
                String name = o.longestName();
                if (type.isEnum() || element.isEnum()) {
                    unlisted.add("llmh " + c.getKey() + " " + name + " is an enum picocli reads: make it a Choice");
                    continue;
                }
                boolean text = type == String.class
                        || (java.util.Collection.class.isAssignableFrom(type) && element == String.class)
                        || java.util.Map.class.isAssignableFrom(type);
                if (!text) {
                    continue;
                }
                seen.add(name);
                if (!chosen.contains(name) && !FREE_FORM.containsKey(name)) {
                    unlisted.add("llmh " + c.getKey() + " " + name);
                }
            }
        }
        assertThat(unlisted)
                .as("options that take text but are neither a Choice of OptionChoices nor named as free-form")
                .isEmpty();
        // Each listed choice is an option of its command, so the list cannot drift from the commands.
        for (Map.Entry<String, List<dev.llmharness.runtime.settings.Choice<?>>> c : choices.entrySet()) {
            CommandLine command = root.getSubcommands().get(c.getKey());
            assertThat(command).as(c.getKey()).isNotNull();
            for (dev.llmharness.runtime.settings.Choice<?> s : c.getValue()) {
                assertThat(command.getCommandSpec().findOption(s.option()))
                        .as("llmh " + c.getKey() + " " + s.option())
                        .isNotNull();
            }
        }
        assertThat(seen).as("the walk found the text options").contains("--url", "--format", "--method", "--tokenizer");
        assertThat(FREE_FORM.keySet()).as("no stale free-form entry").allMatch(seen::contains);
    }

    /**
     * Every option with a fixed set of values, given a value it does not take, is one line naming
     * the option, the value and the values it takes, exit code 2, before any load (the URL is
     * dead), whichever command it belongs to.
     */
    @Test
    void everyOptionWithAFixedSetOfValuesRefusesAnotherValueInOneLine() throws Exception {
        String url = deadUrl();
        Map<String, List<String>> rest = Map.of(
                "run", List.of("--url", url, "--output", dir.resolve("r.json").toString()),
                "compare",
                        List.of(
                                dir.resolve("a.json").toString(),
                                "--",
                                dir.resolve("b.json").toString()),
                "merge",
                        List.of(
                                "-o",
                                dir.resolve("m.json").toString(),
                                dir.resolve("a.json").toString()),
                "sim", List.of(),
                "selfbench", List.of("--json", dir.resolve("s.json").toString()),
                "gate", List.of("--results", dir.resolve("g").toString(), "--", "--url", url));
        int checked = 0;
        for (Map.Entry<String, List<dev.llmharness.runtime.settings.Choice<?>>> c :
                OptionChoices.byCommand().entrySet()) {
            for (dev.llmharness.runtime.settings.Choice<?> setting : c.getValue()) {
                err.getBuffer().setLength(0);
                List<String> args = new ArrayList<>(List.of(c.getKey(), setting.option(), "sometimes"));
                args.addAll(rest.get(c.getKey()));
                assertThat(llmh(args.toArray(String[]::new)))
                        .as(args + ": " + err)
                        .isEqualTo(Llmh.USAGE);
                assertThat(oneCleanLine())
                        .as(args.toString())
                        .startsWith("llmh " + c.getKey() + ": invalid " + setting.option() + " sometimes: use "
                                + setting.accepted());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
        assertThat(dir.resolve("r.json")).doesNotExist();
        assertThat(dir.resolve("s.json")).doesNotExist();
        assertThat(dir.resolve("g/latest.json")).doesNotExist();
    }

    /** The values each new setting takes, as the lines above name them. */
    @Test
    void theOptionsValuesAreNamedAsTheyAreWritten() {
        assertThat(dev.llmharness.runtime.compare.CompareFormat.SETTING.accepted())
                .isEqualTo("terminal, markdown or json");
        assertThat(dev.llmharness.runtime.compare.FailOn.SETTING.accepted())
                .isEqualTo("regression, inconclusive or never");
        assertThat(dev.llmharness.runtime.selfbench.SelfBenchCommand.METHOD.accepted())
                .isEqualTo("steps, peers or spike");
        assertThat(dev.llmharness.runtime.selfbench.SelfBenchCommand.ARRIVAL.accepted())
                .isEqualTo("constant or poisson");
        assertThat(dev.llmharness.runtime.tokenize.ServerTokens.Mode.SETTING.accepted())
                .isEqualTo("encoding or server");
        assertThat(dev.llmharness.runtime.sim.SimCommand.TIMING.accepted()).isEqualTo("BATCHED, FIXED or IMMEDIATE");
        assertThat(dev.llmharness.runtime.result.MergeCommand.MODE.accepted()).isEqualTo("shards or runs");
        assertThat(dev.llmharness.runtime.run.TargetResolver.API.accepted()).startsWith("auto, OPENAI_CHAT, ");
        assertThat(dev.llmharness.runtime.gate.BenchGate.FORKS.accepted()).isEqualTo("a whole number from 1 to 100");
        // Case and an API's - for _ do not matter.
        assertThat(dev.llmharness.runtime.run.TargetResolver.API.parse("openai-chat"))
                .isEqualTo("OPENAI_CHAT");
        assertThat(dev.llmharness.runtime.sim.SimCommand.TIMING.parse("fixed"))
                .isEqualTo(dev.llmharness.runtime.sim.SimConfig.Timing.FIXED);
    }

    /**
     * A per-window SLO's window must fit in what the trial measures: an override that shortens the
     * window below it is one line naming the trial, the window and the option, exit 2, before any
     * load; the same trial with a window that fits runs on.
     */
    @Test
    void anOverrideThatLeavesNoWholeSloWindowIsOneLineBeforeAnyLoad() throws Exception {
        SloSpec windowed = new SloSpec(
                List.of(),
                java.util.OptionalDouble.of(0.5),
                java.util.Optional.of(new dev.llmharness.api.spi.WindowObjective(0.9, 10)));
        TrialSpec t = LlmhTest.trial("a", 100, windowed);
        TrialSpec timed = t.with(
                t.params(),
                t.load(),
                dev.llmharness.api.spi.Phase.NONE,
                dev.llmharness.api.spi.Phase.ofDuration(java.time.Duration.ofSeconds(30)),
                t.slo(),
                t.seed());
        for (List<String> option : List.of(List.of("--duration", "9s"), List.of("--duration-scale", "0.2"))) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of("run", "--url", deadUrl(), "--output"));
            args.add(dir.resolve("r.json").toString());
            args.addAll(option);
            assertThat(runTrial(timed, args.toArray(String[]::new)))
                    .as(err.toString())
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine())
                    .startsWith("llmh run: " + timed.id() + ": its per-window SLO's 10s window is longer than the ")
                    .contains("(after " + option.get(0) + " " + option.get(1) + ")")
                    .contains("so no whole window fits: measure at least 10s (--duration 10s, or a larger"
                            + " --duration-scale)")
                    .doesNotContain("connect");
        }
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    /** {@code --forks} is bounded as {@code @Fork} is (Limits.MAX_FORKS), before any run. */
    @Test
    void tooManyForksIsOneLineBeforeAnyRun() throws Exception {
        for (String forks : List.of("101", "0", "three")) {
            err.getBuffer().setLength(0);
            assertThat(llmh(
                            "gate",
                            "--results",
                            dir.resolve("g").toString(),
                            "--forks",
                            forks,
                            "--",
                            "--url",
                            deadUrl()))
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine())
                    .startsWith("llmh gate: invalid --forks " + forks + ": use a whole number from 1 to 100");
        }
        err.getBuffer().setLength(0);
        System.setProperty("llmh.forks", "1000");
        assertThat(llmh("gate", "--results", dir.resolve("g").toString(), "--", "--url", deadUrl()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).startsWith("llmh gate: invalid -Dllmh.forks=1000: use a whole number from 1 to 100");
        assertThat(dir.resolve("g/latest.json")).doesNotExist();
    }

    /**
     * The simulator's bounds hold wherever its options are given, not only in {@code llmh sim}: a
     * value just outside in {@code --sim "..."} of {@code run} and {@code sweep}, the gate's {@code
     * --base-sim}, or the contender's {@code --sim} among the gate's run options, is one line naming
     * where it was given, the field with its option and the range, exit code 2, before any load (the
     * URL is dead, and the gate would otherwise find the contender's only after the base side ran).
     * SimCommandTest has every bound's values just inside and just outside.
     */
    @Test
    void aSimulatorValueOutsideItsBoundIsOneLineWhereverItIsGiven() throws Exception {
        String url = deadUrl();
        String results = dir.resolve("g").toString();
        String output = dir.resolve("r.json").toString();
        Map<String, String> outside = Map.of(
                "--io-threads 1025", "ioThreads (--io-threads) must be 1 to 1024 (SimConfig.MAX_IO_THREADS)",
                "--itl-scale 1200", "itlScale (--itl-scale) must be above 0 and at most 1000",
                "--kv-cache-tokens 2000000000", "kvCacheTokens (--kv-cache-tokens) must be 8192 to 1073741824",
                "--max-num-batched-tokens 2000000000", "maxBatchedTokens (--max-num-batched-tokens) must be 0 to",
                "--ground-truth-capacity 50000000", "groundTruthCapacity (--ground-truth-capacity) must be 0 to",
                "--max-request-bytes 1000000000", "maxRequestBytes (--max-request-bytes) must be 1024 to");
        for (Map.Entry<String, String> c : outside.entrySet()) {
            String sim = c.getKey();
            String why = "\"" + sim + "\": invalid simulator configuration: " + c.getValue();
            Map<List<String>, String> places = new java.util.LinkedHashMap<>();
            places.put(List.of("run", "--url", url, "--output", output, "--sim", sim), "llmh run: --sim " + why);
            places.put(List.of("sweep", "--url", url, "--output", output, "--sim", sim), "llmh sweep: --sim " + why);
            places.put(
                    List.of("gate", "--results", results, "--base-sim", sim, "--", "--url", url),
                    "llmh gate: --base-sim " + why);
            places.put(
                    List.of("gate", "--results", results, "--", "--url", url, "--sim", sim), "llmh gate: --sim " + why);
            for (Map.Entry<List<String>, String> p : places.entrySet()) {
                err.getBuffer().setLength(0);
                assertThat(llmh(p.getKey().toArray(String[]::new)))
                        .as(p.getKey() + ": " + err)
                        .isEqualTo(Llmh.USAGE);
                assertThat(oneCleanLine()).as(p.getKey().toString()).startsWith(p.getValue());
            }
        }
        assertThat(dir.resolve("r.json")).doesNotExist();
        assertThat(dir.resolve("g/latest.json")).doesNotExist();
    }

    /**
     * A server URL that cannot work is one line of ours naming the option (or property), the value
     * and what to write, exit code 2, before any load: for every command and option that takes one.
     * The port of each good-looking URL is one nobody listens on, so a check made after connecting
     * would say so instead.
     */
    @Test
    void aBadServerUrlIsOneLineOfOursBeforeAnyLoad() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("http://127.0.0.1:99999", "the port 99999 is outside 1 to 65535");
        bad.put("http://127.0.0.1:0", "the port 0 is outside 1 to 65535");
        bad.put("http://127.0.0.1:http", "the port http is not a number");
        bad.put("http://127.0.0.1:", "the port is missing");
        bad.put("127.0.0.1:8000", "it has no scheme");
        bad.put("localhost", "it has no scheme");
        bad.put("ftp://127.0.0.1:8000", "the scheme ftp:// is not supported");
        bad.put("http://:8000", "it has no host");
        bad.put("http://", "it has no host");
        bad.put("http://127.0.0.1 :8000", "a URL has no blanks");
        bad.put("http://[::1:8000", "it is not a URL");
        Path out = dir.resolve("r.json");
        for (Map.Entry<String, String> u : bad.entrySet()) {
            String url = u.getKey();
            Map<String, List<String>> invocations = new java.util.LinkedHashMap<>();
            invocations.put("llmh run: invalid --url " + url, List.of("run", "--url", url, "--output", out.toString()));
            invocations.put(
                    "llmh sweep: invalid --url " + url, List.of("sweep", "--url", url, "--output", out.toString()));
            invocations.put(
                    "llmh release-gate: invalid --url " + url,
                    List.of("release-gate", "--rate", "5", "--url", url, "--output", out.toString()));
            invocations.put("llmh probe: invalid --url " + url, List.of("probe", "--url", url));
            invocations.put(
                    "llmh gate: invalid --base-url " + url,
                    List.of(
                            "gate",
                            "--results",
                            dir.resolve("g").toString(),
                            "--base-url",
                            url,
                            "--",
                            "--url",
                            deadUrl()));
            invocations.put(
                    "llmh gate: invalid --url " + url,
                    List.of("gate", "--results", dir.resolve("g").toString(), "--", "--url", url));
            for (Map.Entry<String, List<String>> i : invocations.entrySet()) {
                err.getBuffer().setLength(0);
                assertThat(llmh(i.getValue().toArray(String[]::new)))
                        .as(i.getValue() + ": " + err)
                        .isEqualTo(Llmh.USAGE);
                assertThat(oneCleanLine())
                        .as(i.getValue().toString())
                        .startsWith(i.getKey() + ": " + u.getValue())
                        .contains("write the server's base URL, e.g. http://127.0.0.1:8000")
                        .doesNotContain("cannot connect");
            }
            err.getBuffer().setLength(0);
            System.setProperty("llmh.url", url);
            assertThat(llmh("run", "--output", out.toString())).isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).startsWith("llmh run: invalid -Dllmh.url=" + url + ": " + u.getValue());
            clearProperties();
        }
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("g/latest.json")).doesNotExist();
    }

    /** A port nobody listens on: were the target contacted first, the message would say so. */
    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private List<Path> unwritable() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        List<Path> paths = new ArrayList<>(List.of(file.resolve("r.json"), file.resolve("sub/r.json"), dir));
        if (OS.current() == OS.LINUX) {
            paths.add(Path.of("/proc/x.json"));
        }
        return paths;
    }

    @Test
    void anUnwritableOutputOrCsvIsRefusedBeforeAnyLoad() throws Exception {
        String url = deadUrl();
        for (Path bad : unwritable()) {
            err.getBuffer().setLength(0);
            assertThat(llmh("run", "--url", url, "--output", bad.toString())).isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).contains("--output " + bad).doesNotContain("connect");
            err.getBuffer().setLength(0);
            assertThat(llmh(
                            "run",
                            "--url",
                            url,
                            "--output",
                            dir.resolve("ok.json").toString(),
                            "--csv",
                            bad.toString()))
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).contains("--csv " + bad).doesNotContain("connect");
        }
        err.getBuffer().setLength(0);
        System.setProperty("llmh.output", unwritable().get(0).toString());
        assertThat(llmh("run", "--url", url)).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("-Dllmh.output=");
        assertThat(dir.resolve("ok.json")).doesNotExist();
    }

    /** The gate's results folder is checked before any run: one line naming it, exit 2 (was 3 with an exception's name). */
    @Test
    void anUnwritableResultsFolderOfTheGateIsOneLineBeforeAnyRun() throws Exception {
        for (Path bad : unwritable()) {
            if (Files.isDirectory(bad)) {
                continue; // a folder is a fine results folder
            }
            err.getBuffer().setLength(0);
            assertThat(llmh("gate", "--results", bad.toString(), "--", "--url", deadUrl()))
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).startsWith("llmh gate: --results " + bad).doesNotContain("connect");

            ByteArrayOutputStream benchErr = new ByteArrayOutputStream();
            int code = dev.llmharness.runtime.gate.BenchGateAccess.run(
                    bad, new PrintStream(new ByteArrayOutputStream()), new PrintStream(benchErr, true));
            assertThat(code).isEqualTo(Llmh.USAGE);
            assertThat(benchErr.toString(StandardCharsets.UTF_8).strip())
                    .hasLineCount(1)
                    .startsWith("bench: the results folder " + bad)
                    .doesNotContain("Exception");
        }
    }

    @Test
    void compareAndMergeRefuseAnUnwritableReportBeforeReading() throws Exception {
        Path file = write("a.json", run("a"));
        for (Path bad : unwritable()) {
            err.getBuffer().setLength(0);
            assertThat(llmh("compare", "-o", bad.toString(), file.toString(), "--", file.toString()))
                    .isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).contains("-o " + bad);
            err.getBuffer().setLength(0);
            assertThat(llmh("merge", "-o", bad.toString(), file.toString())).isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine()).contains("-o " + bad);
        }
    }

    private static RunResult run(String id) {
        return run(1, id);
    }

    /** A run of one trial; another seed gives other requests, so another run (not a copy). */
    private static RunResult run(long seed, String id) {
        return SyntheticResults.run(seed, new SyntheticResults.Spec(id, 200, 0.35, 20, 0.3, 13, 20, 12, 0));
    }

    /**
     * Files that each read well but cannot be taken together, the cases issue 11 names: no trial in
     * common, and a shared metric recorded in another unit. Both commands answer with one line naming
     * both files and exit code 2, and write nothing.
     */
    @Test
    void filesThatCannotBeComparedOrMergedAreOneLineWithExitTwo() throws Exception {
        Path a = write("a.json", run(1, "a"));
        Path other = write("other-trial.json", run(2, "b"));
        // Another run of trial a whose latency histograms say they hold microseconds: a file of a
        // harness that stored another unit, whose numbers mean something else.
        Path b = write("b.json", run(2, "a"));
        String json = Files.readString(b);
        assertThat(json).contains("\"histogramUnit\" : \"ns\"");
        Path micros =
                writeText("micros.json", json.replace("\"histogramUnit\" : \"ns\"", "\"histogramUnit\" : \"us\""));
        Path merged = dir.resolve("m.json");

        err.getBuffer().setLength(0);
        assertThat(llmh("compare", a.toString(), "--", other.toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .contains("no trial in common")
                .contains("[a]")
                .contains("[b]");

        err.getBuffer().setLength(0);
        assertThat(llmh("merge", "-o", merged.toString(), a.toString(), other.toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .contains("trial a is in " + a + " but not in " + other)
                .contains("same benchmarks and parameters");

        err.getBuffer().setLength(0);
        assertThat(llmh("compare", a.toString(), "--", micros.toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .contains(a.toString())
                .contains(micros.toString())
                .contains("(histogram in ns)")
                .contains("(histogram in us)")
                .contains("cannot be compared");

        err.getBuffer().setLength(0);
        assertThat(llmh("merge", "-o", merged.toString(), a.toString(), micros.toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .contains(a.toString())
                .contains(micros.toString())
                .contains("incompatible harness versions");
        assertThat(merged).doesNotExist();

        // The same files of one unit compare and merge: the refusals above are about the unit.
        err.getBuffer().setLength(0);
        assertThat(llmh("merge", "-o", merged.toString(), a.toString(), b.toString()))
                .as(err.toString())
                .isEqualTo(Llmh.OK);
    }

    private Path write(String name, RunResult r) {
        Path p = dir.resolve(name);
        ResultJson.write(r, p);
        return p;
    }

    private Path writeText(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void everyUnreadableResultFileIsOneLineNamingTheFile() throws Exception {
        Path good = write("good.json", run("a"));
        String json = Files.readString(good);
        Map<Path, String> cases = Map.of(
                dir.resolve("missing.json"),
                "does not exist",
                dir,
                "folder",
                writeText("empty.json", ""),
                "empty",
                writeText("truncated.json", json.substring(0, json.length() / 2)),
                "truncated",
                writeText("notjson.json", "hello"),
                "not valid JSON",
                writeText("array.json", "[1, 2]"),
                "expected a JSON object",
                writeText("notrials.json", json.replaceFirst("\"trials\"", "\"trails\"")),
                "lacks trials",
                writeText(
                        "stringversion.json", json.replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : \"1\"")),
                "schemaVersion \"1\"",
                writeText("futureversion.json", json.replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 99")),
                "schemaVersion 99",
                writeText("badtype.json", json.replaceFirst("\"sent\" : \\d+", "\"sent\" : \"many\"")),
                "trials[0].counts.sent");
        for (Map.Entry<Path, String> c : cases.entrySet()) {
            for (String command : List.of("compare", "merge")) {
                err.getBuffer().setLength(0);
                int code = command.equals("compare")
                        ? llmh("compare", good.toString(), "--", c.getKey().toString())
                        : llmh(
                                "merge",
                                "-o",
                                dir.resolve("m.json").toString(),
                                c.getKey().toString());
                assertThat(code).as(c.getKey() + ": " + err).isEqualTo(Llmh.USAGE);
                assertThat(oneCleanLine()).contains(c.getKey().toString()).contains(c.getValue());
            }
        }
    }

    /** A trial of the given workload, run by the real prompt preparation (datasets are read). */
    private int runWorkload(dev.llmharness.api.spi.Workload workload, String... args) {
        return runTrial(LlmhTest.trial("a", 100, SloSpec.NONE).withWorkload(workload), args);
    }

    /** {@code llmh} with {@code trial} the only one on the class path. */
    private int runTrial(TrialSpec trial, String... args) {
        var suite = LlmhTest.suite(List.of(trial));
        CommandLine cl = Llmh.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == RunCommand.class
                        ? cls.cast(new RunCommand(() -> List.of(suite)))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** A trial's own URL is checked before any load as well, naming the trial. */
    @Test
    void aBadEndpointUrlOfATrialIsOneLineBeforeAnyLoad() {
        TrialSpec bad = LlmhTest.trial("a", 100, SloSpec.NONE)
                .withEndpoint(new dev.llmharness.api.spi.EndpointSpec(
                        dev.llmharness.api.Api.OPENAI_CHAT, "http://127.0.0.1:99999", "", "LLMH_API_KEY"));
        assertThat(runTrial(bad, "run", "--output", dir.resolve("r.json").toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .isEqualTo("llmh run: invalid @Endpoint(url) of " + bad.id() + " http://127.0.0.1:99999: the port"
                        + " 99999 is outside 1 to 65535; write the server's base URL, e.g. http://127.0.0.1:8000");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    private static DatasetWorkload dataset(DatasetFormat format, String path) {
        return new DatasetWorkload(
                format,
                path,
                format == DatasetFormat.CSV ? "question" : "",
                "",
                1,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Defaults.DATASET_OUTPUT_TOKENS,
                false,
                Sampling.WITH_REPLACEMENT,
                0,
                Defaults.ENCODING);
    }

    /**
     * A dataset that is missing, malformed, of the wrong format or empty is one line naming the trial
     * and the file, exit code 2, before the target is contacted (the URL is dead) and before any load.
     */
    @Test
    void aBadDatasetIsOneLineNamingTheTrialAndTheFile() throws Exception {
        String url = deadUrl();
        Map<Path, DatasetFormat> cases = new java.util.LinkedHashMap<>();
        cases.put(dir.resolve("missing.jsonl"), DatasetFormat.DOLLY);
        cases.put(writeText("broken.jsonl", "{\"instruction\": \"hi\"}\n{broken\n"), DatasetFormat.DOLLY);
        cases.put(writeText("wrong.jsonl", "{\"text\": \"hi\"}\n"), DatasetFormat.DOLLY);
        cases.put(writeText("empty.csv", ""), DatasetFormat.CSV);
        cases.put(writeText("sharegpt.json", "{\"not\": \"a list\"}"), DatasetFormat.SHAREGPT);
        for (Map.Entry<Path, DatasetFormat> c : cases.entrySet()) {
            err.getBuffer().setLength(0);
            int code = runWorkload(
                    dataset(c.getValue(), c.getKey().toString()),
                    "run",
                    "--url",
                    url,
                    "--output",
                    dir.resolve("r.json").toString());
            assertThat(code).as(c.getKey() + ": " + err).isEqualTo(Llmh.USAGE);
            assertThat(oneCleanLine())
                    .startsWith("llmh run: com.example.Chat.a")
                    .contains(c.getKey().getFileName().toString())
                    .doesNotContain("connect");
            assertThat(dir.resolve("r.json")).doesNotExist();
        }
    }

    @Test
    void anUnknownEncodingIsOneLine() throws Exception {
        int code = runWorkload(
                ShapeWorkload.of(ShapePreset.CHAT, "no_such_encoding"),
                "run",
                "--url",
                deadUrl(),
                "--output",
                dir.resolve("r.json").toString());
        assertThat(code).as(err.toString()).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("no_such_encoding").contains("encoding");
    }

    /** An exception of no known family is a defect: one line, its stack trace in a file the line names. */
    @Test
    void anInternalErrorIsOneLineWithItsStackTraceInAFile() throws Exception {
        CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
        cl.setErr(new PrintWriter(err, true));
        int code = Llmh.failed(new IllegalStateException("boom", new NullPointerException()), cl);
        assertThat(code).isEqualTo(Llmh.RUN_ERROR);
        String line = err.toString().strip();
        assertThat(line)
                .hasLineCount(1)
                .contains("internal error")
                .contains("boom")
                .doesNotContain("\tat ");
        Path trace = Path.of(line.substring(line.indexOf("stack trace is in ") + "stack trace is in ".length()));
        assertThat(Files.readString(trace)).contains("\tat ").contains("NullPointerException");
        Files.delete(trace);
    }

    /**
     * A simulator that a signal to the process group stopped while it started (Ctrl-C) ends the
     * command with the signal's code and one line; one that failed otherwise is a run error.
     */
    @Test
    void aSimulatorStoppedByTheSameSignalIsAnInterruptionNotAFailure() {
        CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
        cl.setErr(new PrintWriter(err, true));
        assertThat(Llmh.failed(new dev.llmharness.runtime.sim.SimException("no address", 130), cl))
                .isEqualTo(Llmh.INTERRUPTED);
        assertThat(err.toString().strip())
                .hasLineCount(1)
                .contains("interrupted while the simulator started")
                .doesNotContain("no address");
        err.getBuffer().setLength(0);
        assertThat(Llmh.failed(new RuntimeException(new dev.llmharness.runtime.sim.SimException("x", 143)), cl))
                .isEqualTo(Llmh.TERMINATED);
        err.getBuffer().setLength(0);
        assertThat(Llmh.failed(new dev.llmharness.runtime.sim.SimException("port in use", 1), cl))
                .isEqualTo(Llmh.RUN_ERROR);
        assertThat(err.toString().strip()).endsWith(": port in use");
    }

    /** An input error wrapped in another exception still reads as one. */
    @Test
    void aWrappedInputErrorIsStillAUsageError() {
        CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
        cl.setErr(new PrintWriter(err, true));
        int code = Llmh.failed(
                new RuntimeException(
                        "wrapper", new dev.llmharness.runtime.data.WorkloadException("x.jsonl: line 2 is not JSON")),
                cl);
        assertThat(code).isEqualTo(Llmh.USAGE);
        assertThat(err.toString().strip()).endsWith(": x.jsonl: line 2 is not JSON");
    }

    @Test
    void filesThatCannotBeComparedAreOneLine() throws Exception {
        Path a = write("a.json", run("a"));
        Path b = write("b.json", run("b"));
        assertThat(llmh("compare", a.toString(), "--", b.toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("no trial in common");

        // A result with zero trials, one that lists a trial twice, and runs of one side that did not
        // run the same trials (a trial with fewer runs than its side would get a too narrow interval).
        RunResult one = run("a");
        RunResult two = SyntheticResults.run(
                1,
                new SyntheticResults.Spec("a", 200, 0.35, 20, 0.3, 13, 20, 12, 0),
                new SyntheticResults.Spec("b", 200, 0.35, 20, 0.3, 13, 20, 12, 0));
        Path none = write("none.json", new RunResult(one.schemaVersion(), one.run(), one.target(), List.of(), false));
        Path twice = write(
                "twice.json",
                new RunResult(
                        one.schemaVersion(),
                        one.run(),
                        one.target(),
                        List.of(one.trials().get(0), one.trials().get(0)),
                        false));
        Path ab = write("ab.json", two);
        Map<List<String>, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of(a.toString(), "--", none.toString()), List.of(none.toString(), "has no trials"));
        cases.put(List.of(twice.toString(), "--", a.toString()), List.of(twice.toString(), "twice"));
        cases.put(
                List.of(ab.toString(), a.toString(), "--", ab.toString()),
                List.of(
                        "the base runs do not have the same trials",
                        a + " lacks [" + two.trials().get(1).id() + "]"));
        cases.put(
                List.of(a.toString(), "--", a.toString(), ab.toString()),
                List.of("the contender runs do not have the same trials", ab + " has ["));
        for (Map.Entry<List<String>, List<String>> c : cases.entrySet()) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of("compare"));
            args.addAll(c.getKey());
            assertThat(llmh(args.toArray(String[]::new)))
                    .as(c.getKey() + ": " + err)
                    .isEqualTo(Llmh.USAGE);
            String line = oneCleanLine();
            c.getValue().forEach(part -> assertThat(line).contains(part));
        }
        err.getBuffer().setLength(0);

        err.getBuffer().setLength(0);
        Path seconds =
                writeText("seconds.json", Files.readString(a).replaceFirst("\"unit\" : \"ms\"", "\"unit\" : \"s\""));
        assertThat(llmh("compare", a.toString(), "--", seconds.toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains(seconds.toString()).contains("in s (histogram in ns)");
    }

    /**
     * One run on both sides (the same path, or a copy) always compares as NO CHANGE, and a report
     * written over an input would replace a measured run: both are one line and exit 2, and the
     * input is left as it was.
     */
    @Test
    void oneRunOnBothSidesAndAnOutputOverAnInputAreOneLine() throws Exception {
        Path a = write("a.json", run("a"));
        Path copy = dir.resolve("copy.json");
        Files.copy(a, copy);
        Path other = write(
                "other.json",
                SyntheticResults.run(2, new SyntheticResults.Spec("a", 200, 0.35, 20, 0.3, 13, 20, 12, 0)));
        assertThat(llmh("compare", a.toString(), "--", copy.toString())).isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .startsWith("llmh compare: the base " + a + " and the contender " + copy + " are the same run")
                .endsWith("compare with a run of the other side");

        err.getBuffer().setLength(0);
        String before = Files.readString(a);
        assertThat(llmh("compare", "--format", "markdown", "-o", a.toString(), a.toString(), "--", other.toString()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .isEqualTo("llmh compare: -o " + a + ": is the input " + a
                        + "; writing it would replace a measured run; choose another path");
        assertThat(Files.readString(a)).isEqualTo(before);
    }

    /** Two base sides for the gate is one line before any run, not the URL winning silently. */
    @Test
    void aGateGivenBothABaseSimulatorAndABaseUrlIsOneLine() throws Exception {
        assertThat(llmh(
                        "gate",
                        "--results",
                        dir.resolve("results").toString(),
                        "--base-sim",
                        "--itl-scale 1.2",
                        "--base-url",
                        deadUrl(),
                        "--",
                        "--url",
                        deadUrl()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .isEqualTo("llmh gate: --base-sim and --base-url both name the base side (llmh.baseSim,"
                        + " llmh.baseUrl); give one of them");
    }

    /**
     * The gate's baseline set is checked before any load: a run file missing from the sequence, or
     * a single baseline.json beside run files, is one line naming the file, exit 2 (the target here
     * is dead: reaching it would mean the check came too late).
     */
    @Test
    void anIncompleteOrMixedBaselineSetIsOneLineBeforeAnyRun() throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        write("results/baseline.run-1.json", run("a"));
        write("results/baseline.run-3.json", run("a"));
        assertThat(llmh("gate", "--results", results.toString(), "--forks", "1", "--", "--url", deadUrl()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine())
                .startsWith("llmh gate: " + results.resolve("baseline.run-2.json") + " is missing")
                .contains("baseline.run-3.json exists")
                .doesNotContain("connect");

        Files.delete(results.resolve("baseline.run-3.json"));
        write("results/baseline.json", run("a"));
        err.getBuffer().setLength(0);
        assertThat(llmh("gate", "--results", results.toString(), "--forks", "1", "--", "--url", deadUrl()))
                .isEqualTo(Llmh.USAGE);
        assertThat(oneCleanLine()).contains("baseline.json and 1 run file(s)").contains("keep one baseline");
        assertThat(results.resolve("latest.json")).doesNotExist();
    }
}
