package dev.llmharness.runtime.cli;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientDefaults;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.load.Shard;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.report.Analysis;
import dev.llmharness.runtime.report.AnalysisThresholds;
import dev.llmharness.runtime.report.ReportInput;
import dev.llmharness.runtime.report.Reports;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.run.PlannedTrial;
import dev.llmharness.runtime.run.RunEngine;
import dev.llmharness.runtime.run.RunSettings;
import dev.llmharness.runtime.run.TargetResolver;
import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.settings.ServerUrl;
import dev.llmharness.runtime.sim.CpuSplit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh run}: runs the selected trials and writes the result file. Every option can also be
 * given as a system property ({@code -Dllmh.url=...}); the command line wins. The table of options
 * and properties is in {@code docs/metrics.md}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run benchmark trials against a server and write a result file.")
public final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--include",
            defaultValue = "${sys:llmh.include:-.*}",
            description = "Regex a trial id must contain (llmh.include). Default: all.")
    String include;

    @Option(
            names = "--url",
            defaultValue = "${sys:llmh.url}",
            description = "Server base URL, e.g. http://127.0.0.1:8000 (llmh.url).")
    String url;

    @Option(
            names = "--model",
            defaultValue = "${sys:llmh.model}",
            description = "Model name (llmh.model). Default: the annotation's, else the server's first.")
    String model;

    @Option(
            names = "--api",
            defaultValue = "${sys:llmh.api}",
            description = "Replaces every trial's API (llmh.api): auto (detected as llmh probe does: the engine's"
                    + " native API for the request shape) or OPENAI_CHAT, OPENAI_COMPLETIONS, LLAMACPP_COMPLETION,"
                    + " TGI_GENERATE, OLLAMA_CHAT, OLLAMA_GENERATE. Default: each @Endpoint(api).")
    String api;

    @Option(
            names = "--stream",
            defaultValue = "${sys:llmh.stream}",
            description = "true or false (llmh.stream): false sends every request non-streamed, which measures E2E"
                    + " only (no TTFT, ITL, TPOT). Default: each @Endpoint(stream), true.")
    String stream;

    @Option(
            names = "--tokenizer",
            defaultValue = "${sys:llmh.tokenizer}",
            description = "How synthetic prompts are sized (llmh.tokenizer): encoding (default: in each workload's"
                    + " encoding, checked against the server's POST /tokenize when it has one) or server (exact in"
                    + " the server's own tokenizer, llama.cpp, vLLM or TGI; exit 2 when it has no /tokenize).")
    String tokenizer;

    @Option(
            names = "--api-key-env",
            defaultValue = "${sys:llmh.apiKeyEnv}",
            description =
                    "Environment variable holding the API key (llmh.apiKeyEnv). Default: the annotation's, LLMH_API_KEY.")
    String apiKeyEnv;

    @CommandLine.Mixin
    OverrideOptions overrides = new OverrideOptions();

    @Option(
            names = "--shard",
            defaultValue = "${sys:llmh.shard}",
            description = "Runs shard K (from 0) of N of every trial's load, e.g. 1/4 (llmh.shard): the arrivals"
                    + " whose index is K mod N, the closed-loop workers whose number is; merge the N result files"
                    + " with llmh merge. A shard's SLO verdicts do not set its exit code (judge the merged file)."
                    + " Default: 0/1, the whole load.")
    String shard;

    @Option(
            names = "--output",
            defaultValue = "${sys:llmh.output}",
            description = "Result JSON file (llmh.output). Default: results/llmh-<time>.json.")
    Path output;

    @Option(
            names = "--csv",
            defaultValue = "${sys:llmh.csv}",
            description = "Per-request CSV file (llmh.csv). Default: none.")
    Path csv;

    @Option(
            names = "--report",
            negatable = true,
            defaultValue = "${sys:llmh.report:-true}",
            fallbackValue = "true",
            description = "Write report.html, report.md and summary files after the run (llmh.report). Default: true.")
    boolean report;

    @Option(
            names = "--report-dir",
            defaultValue = "${sys:llmh.reportDir}",
            description = "Folder of the reports (llmh.reportDir). Default: beside the result, named after it"
                    + " (results/x.json gives results/x/).")
    Path reportDir;

    @Option(
            names = "--csv-text",
            defaultValue = "${sys:llmh.csvText:-0}",
            description = "Characters of prompt and response text the CSV keeps per request, 0 for none, at most"
                    + " 1048576 (llmh.csvText). Default: 0.")
    int csvText;

    @Option(
            names = "--itl-jsonl",
            defaultValue = "${sys:llmh.itlJsonl}",
            description = "JSONL file with every inter-token gap of every measured request (llmh.itlJsonl)."
                    + " Default: none.")
    Path itlJsonl;

    @Option(
            names = "--fail-on-slo",
            negatable = true,
            defaultValue = "${sys:llmh.failOnSlo:-true}",
            fallbackValue = "true",
            description = "Exit with 1 when an SLO fails (llmh.failOnSlo). Default: true.")
    boolean failOnSlo;

    @Option(
            names = "--progress",
            defaultValue = "${sys:llmh.progress:-5s}",
            description = "Progress line interval, 0s for none (llmh.progress). Default: 5s.")
    String progress;

    @Option(
            names = "--connect-timeout",
            defaultValue = "${sys:llmh.connectTimeout}",
            description = "Connect timeout (llmh.connectTimeout). Default: 10s.")
    String connectTimeout;

    @Option(
            names = "--first-token-timeout",
            defaultValue = "${sys:llmh.firstTokenTimeout}",
            description = "Send to first content event (llmh.firstTokenTimeout). Default: 5m.")
    String firstTokenTimeout;

    @Option(
            names = "--idle-timeout",
            defaultValue = "${sys:llmh.idleTimeout}",
            description = "Silence between reads once content flows (llmh.idleTimeout). Default: 60s.")
    String idleTimeout;

    @Option(
            names = "--total-timeout",
            defaultValue = "${sys:llmh.totalTimeout}",
            description = "Whole request (llmh.totalTimeout). Default: 30m.")
    String totalTimeout;

    @Option(
            names = "--transport",
            defaultValue = "${sys:llmh.transport}",
            description = "How requests reach the server: threads (OkHttp, a blocking thread per request in"
                    + " flight) or event-loop (one Netty event loop sends at each intended instant and reads"
                    + " every stream; for one-core load machines) (llmh.transport). Default: threads.")
    String transport;

    @Option(
            names = "--jit-priority",
            defaultValue = "${sys:llmh.jitPriority}",
            description = "Priority of the JVM's compiler threads and the harness's housekeeping threads: idle"
                    + " (Linux SCHED_IDLE: they run only when the core is otherwise idle, so they never delay a"
                    + " send or a read) or normal (llmh.jitPriority). Default: idle.")
    String jitPriority;

    @Option(
            names = "--preopen",
            defaultValue = "${sys:llmh.preopen}",
            description = "Connections opened to the target before each trial, so that its peak finds them"
                    + " idle rather than connecting after sent: auto (the load's peak rate times twice the p99"
                    + " hold time its warmup or the previous trial measured, else times 1 s; or its workers; at"
                    + " most 1024 and the server's stated slots), off, or a number (llmh.preopen). Default: auto.")
    String preopen;

    @Option(
            names = "--jvm-warmup",
            defaultValue = "${sys:llmh.jvmWarmup}",
            description = "Warm the JVM's request path before the first trial, against an in-process simulator"
                    + " on 127.0.0.1 (never the target), so that the first measured window does not run while"
                    + " the JIT compiles: auto (once per JVM) or off (llmh.jvmWarmup). Default: auto.")
    String jvmWarmup;

    @Option(
            names = "--cpu-split",
            defaultValue = "${sys:llmh.cpuSplit}",
            description = "With the embedded simulator: auto pins the harness and the simulator to CPUs of their"
                    + " own (half of the CPUs this process may use each, with taskset), so that the simulator's"
                    + " work never delays a send; off lets them share (llmh.cpuSplit). Default: auto.")
    String cpuSplit;

    @Option(
            names = "--sim",
            defaultValue = "${sys:llmh.sim:-}",
            description = "Options of the embedded simulator, started in a separate JVM when no URL is given,"
                    + " e.g. \"--preset small-fast --itl-scale 1.2\" (llmh.sim); `llmh sim --help` lists them."
                    + " Default: the default preset.")
    String simOptions;

    @CommandLine.Mixin
    dev.llmharness.runtime.observe.ObserveOptions observe = new dev.llmharness.runtime.observe.ObserveOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Supplier<List<BenchmarkSuite>> suites;
    private final Function<TrialSpec, PromptSource> prompts;
    private Supplier<TargetResolver.EmbeddedTarget> simulator;
    private final Function<TrialSpec, TokenCounter> tokenCounters;
    private final Function<String, String> environment;

    /**
     * The command as {@code llmh} runs it: suites from the class path, prompts from each trial's
     * workload, output tokens counted with the trial's encoding when the server reports no usage,
     * the embedded simulator in a separate JVM when no URL is given, keys from the environment.
     */
    public RunCommand() {
        this(SuiteSelection::discover);
    }

    /** As {@link #RunCommand()}, with the suites given (tests run their own through a real run). */
    RunCommand(Supplier<List<BenchmarkSuite>> suites) {
        this(
                suites,
                trial -> PromptSources.forWorkload(trial.workload(), trial.seed()),
                null,
                trial -> TokenCounter.ofFunction(
                        Tokenizers.forEncoding(trial.workload().encoding())::count, "tokenizer"),
                System::getenv);
        this.simulator = this::startSimulator;
    }

    /**
     * A command with its collaborators given.
     *
     * @param suites where suites come from
     * @param prompts the prompt source of each trial (as run)
     * @param simulator starts the embedded simulator when no URL is given, or {@code null}
     * @param tokenCounters each trial's counter of output tokens when the server reports no usage
     * @param environment reads environment variables (API keys)
     */
    public RunCommand(
            Supplier<List<BenchmarkSuite>> suites,
            Function<TrialSpec, PromptSource> prompts,
            Supplier<TargetResolver.EmbeddedTarget> simulator,
            Function<TrialSpec, TokenCounter> tokenCounters,
            Function<String, String> environment) {
        this.suites = suites;
        this.prompts = prompts;
        this.simulator = simulator;
        this.tokenCounters = tokenCounters;
        this.environment = environment;
    }

    /** The embedded simulator, on CPUs of its own unless {@code --cpu-split off}. */
    private TargetResolver.EmbeddedTarget startSimulator() {
        return EmbeddedSimulator.start(
                simOptions,
                cpuSplitMode(),
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out =
                new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream err =
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        RunSettings settings = settings();
        Shard part = shardOption();
        String target = OptionText.url(spec, "--url", url); // before any load, in our words
        // The options with a fixed set of values, before any load and each in the one wording.
        OptionText.choice(spec, TargetResolver.API, api);
        Boolean streamed = OptionText.choice(spec, TargetResolver.STREAM, stream);
        dev.llmharness.runtime.tokenize.ServerTokens.Mode sizing =
                OptionText.choice(spec, dev.llmharness.runtime.tokenize.ServerTokens.Mode.SETTING, tokenizer);
        cpuSplitMode(); // checked before any load, though only a simulator start applies it
        EmbeddedSimulator.check(simOptions); // likewise: a bad --sim is one line before any load
        // The tuning properties without an option here (-Dllmh.loopDispatch...), before any load.
        dev.llmharness.runtime.run.TuningSettings.check(name -> spec.findOption(name) != null);
        IdlePriority.use(jitPriorityMode(), err);
        dev.llmharness.runtime.observe.ObserveSettings observed;
        try {
            observed = observe.toSettings(environment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        AnalysisThresholds thresholds = AnalysisThresholds.fromSystemProperties();
        List<PlannedTrial> trials = SuiteSelection.select(suites.get(), include);
        if (trials.isEmpty()) {
            err.println("llmh: no trial matches --include \"" + include + "\"; `llmh list` shows the trials on the"
                    + " class path");
            return Llmh.USAGE;
        }
        if (target == null) {
            // Each trial's own URL is checked before any load too, not as its turn comes.
            for (PlannedTrial t : trials) {
                ServerUrl.check(
                        "@Endpoint(url) of " + t.declared().id(),
                        t.declared().endpoint().url());
            }
        }
        TargetResolver resolver = new TargetResolver(target, model, apiKeyEnv, simulator, environment).withApi(api);
        resolver.withStream(stream);
        if (Boolean.FALSE.equals(streamed)) {
            // A non-streamed request has no first token: an objective on one could only fail.
            for (PlannedTrial t : trials) {
                for (dev.llmharness.api.spi.LatencyBound b : t.declared().slo().bounds()) {
                    if (b.metric() != dev.llmharness.api.spi.SloMetric.E2E) {
                        throw OptionText.invalid(
                                spec,
                                "--stream",
                                stream,
                                "trial " + t.declared().id() + " has an SLO on "
                                        + b.metric().name().toLowerCase()
                                        + ", which a non-streamed request does not measure: --include only trials"
                                        + " whose @Slo bounds e2e, or keep streaming");
                    }
                }
            }
        }
        resolver.withNotices(line -> err.println("llmh: " + line));
        try (TargetResolver targets = resolver) {
            RunEngine engine = new RunEngine(settings, targets, prompts, tokenCounters, out, err)
                    .observing(observed)
                    .sizing(sizing)
                    .sharding(part);
            Thread hook = new Thread(
                    () -> {
                        engine.interrupt();
                        try {
                            engine.awaitFinished(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "llmh-interrupt");
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException e) {
                err.println("llmh: interrupted before any request was measured: no result file written");
                return Llmh.INTERRUPTED;
            }
            RunEngine.Outcome outcome;
            try {
                outcome = engine.run(trials);
            } catch (TargetUnavailableException e) {
                err.println("llmh: " + e.getMessage());
                return Llmh.USAGE;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is already shutting down (Ctrl-C): the hook is running.
                }
            }
            if (report && outcome.result() != null) { // null: interrupted before anything was measured
                writeReports(outcome, thresholds, out, err);
            }
            out.flush();
            if (outcome.interrupted()) {
                return Llmh.INTERRUPTED;
            }
            if (outcome.writeFailed()) {
                return Llmh.RUN_ERROR;
            }
            if (outcome.sloFailed() && !part.whole()) {
                // A shard's figures are its part of the load: the objectives hold or fail on all of it.
                err.println("llmh: shard " + part + " failed an objective on its own part of the load; a shard's exit"
                        + " code does not judge objectives: merge the " + part.count() + " shards (llmh merge) and"
                        + " judge the merged file");
                return Llmh.OK;
            }
            return outcome.sloFailed() && failOnSlo ? Llmh.SLO_FAILED : Llmh.OK;
        }
    }

    /**
     * The run's settings from the options, every value checked before any load: a bad value, or an
     * output file that cannot be written, is one line naming the option (exit code 2).
     */
    private RunSettings settings() {
        Path result = output != null ? output : defaultOutput();
        OutputPaths.requireWritable(
                result,
                output != null
                        ? OptionText.written(spec, "--output", output)
                        : "the default result file " + result + " (--output)");
        if (csv != null) {
            OutputPaths.requireWritable(csv, OptionText.written(spec, "--csv", csv));
            if (csv.toAbsolutePath().normalize().equals(result.toAbsolutePath().normalize())) {
                throw OptionText.invalid(spec, "--csv", csv, "it is also the result file (--output)");
            }
        }
        String csvTextOutside = dev.llmharness.api.Limits.outsideCsvText("--csv-text", csvText);
        if (csvTextOutside != null) {
            throw OptionText.invalid(spec, "--csv-text", csvText, csvTextOutside);
        }
        if (csvText > 0 && csv == null) {
            throw OptionText.invalid(
                    spec, "--csv-text", csvText, "it keeps text in the per-request CSV: give --csv FILE too");
        }
        if (itlJsonl != null) {
            OutputPaths.requireWritable(itlJsonl, OptionText.written(spec, "--itl-jsonl", itlJsonl));
            Path j = itlJsonl.toAbsolutePath().normalize();
            if (j.equals(result.toAbsolutePath().normalize())
                    || (csv != null && j.equals(csv.toAbsolutePath().normalize()))) {
                throw OptionText.invalid(
                        spec, "--itl-jsonl", itlJsonl, "it is also the result file (--output) or the CSV (--csv)");
            }
        }
        return new RunSettings(
                overrides.toOverrides(spec),
                result,
                csv,
                new ClientTimeouts(
                        orDefault("--connect-timeout", connectTimeout, ClientDefaults.CONNECT_TIMEOUT),
                        orDefault("--first-token-timeout", firstTokenTimeout, ClientDefaults.FIRST_TOKEN_TIMEOUT),
                        orDefault("--idle-timeout", idleTimeout, ClientDefaults.IDLE_TIMEOUT),
                        orDefault("--total-timeout", totalTimeout, ClientDefaults.TOTAL_TIMEOUT)),
                OptionText.duration(spec, "--progress", progress, true),
                Path.of("."),
                itlJsonl,
                csvText,
                transportKind(),
                preopenSetting(),
                jvmWarmupMode());
    }

    /**
     * {@code --shard K/N}, checked before any load: a value that is not one shard of a run is one
     * line naming the option and what to write (exit code 2).
     */
    private Shard shardOption() {
        if (shard == null || shard.isBlank()) {
            return Shard.WHOLE;
        }
        try {
            return Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw OptionText.invalid(spec, "--shard", shard.strip(), e.getMessage());
        }
    }

    private AutoOff jvmWarmupMode() {
        return OptionText.choice(spec, dev.llmharness.runtime.run.JvmWarmup.SETTING, jvmWarmup);
    }

    private AutoOff cpuSplitMode() {
        return OptionText.choice(spec, CpuSplit.SETTING, cpuSplit);
    }

    private dev.llmharness.runtime.run.Preopen preopenSetting() {
        return OptionText.choice(spec, dev.llmharness.runtime.run.Preopen.SETTING, preopen);
    }

    private IdlePriority.Mode jitPriorityMode() {
        return OptionText.choice(spec, IdlePriority.SETTING, jitPriority);
    }

    private TransportKind transportKind() {
        return OptionText.choice(spec, TransportKind.SETTING, transport);
    }

    /** The reports never cost the result or the exit code: a failure to write them is one line on stderr. */
    private void writeReports(
            RunEngine.Outcome outcome, AnalysisThresholds thresholds, PrintStream out, PrintStream err) {
        Path dir = reportDir != null ? reportDir : Reports.defaultDir(outcome.file());
        try {
            Reports.Written written =
                    Reports.write(List.of(ReportInput.of(outcome.file(), outcome.result())), dir, thresholds);
            Analysis.print(out, written.model().findings().get(0));
            out.println();
            out.println("report: " + written.html() + " (and report.md, summary.csv, summary.json in " + dir + ")");
        } catch (RuntimeException e) {
            err.println("llmh: the reports could not be written (the result is not affected): " + e.getMessage());
        }
    }

    private Duration orDefault(String option, String text, Duration fallback) {
        return text == null || text.isBlank() ? fallback : OptionText.duration(spec, option, text, false);
    }

    private static final Pattern REQUESTS = Pattern.compile("\\s*(\\d+)\\s*(req|requests)\\s*");

    /** {@code none} or {@code 0}: no warmup; {@code 50req}: 50 requests; else a duration. */
    static Phase parseWarmup(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("0")) {
            return Phase.NONE;
        }
        Matcher m = REQUESTS.matcher(t);
        if (m.matches()) {
            return Phase.ofRequests(Long.parseLong(m.group(1)));
        }
        try {
            return Phase.ofDuration(DurationText.parse(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--warmup / llmh.warmup: write a duration (10s), a request count" + " (50req) or none; "
                            + e.getMessage(),
                    e);
        }
    }

    private static Path defaultOutput() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("results", "llmh-" + stamp + ".json");
    }
}
