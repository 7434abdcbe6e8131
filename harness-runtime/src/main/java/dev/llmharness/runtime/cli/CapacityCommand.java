package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.capacity.PointRunner;
import dev.llmharness.runtime.capacity.Points;
import dev.llmharness.runtime.client.ClientDefaults;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.report.AnalysisThresholds;
import dev.llmharness.runtime.report.ReportInput;
import dev.llmharness.runtime.report.Reports;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.run.PlannedTrial;
import dev.llmharness.runtime.run.RunSettings;
import dev.llmharness.runtime.run.TargetResolver;
import dev.llmharness.runtime.run.TrialOverrides;
import dev.llmharness.runtime.sim.CpuSplit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code llmh sweep} and {@code llmh release-gate} share: one declared trial as the template
 * of every point, the target (a URL or the embedded simulator in its own JVM), points run one at a
 * time, one result file with every point, and the reports.
 */
abstract class CapacityCommand implements Callable<Integer> {
    @Option(
            names = "--include",
            defaultValue = "${sys:llmh.include:-.*}",
            description = "Regex selecting the trial to use as the template (llmh.include); the trials it"
                    + " matches must differ only in their load. Default: all.")
    String include;

    @Option(names = "--url", defaultValue = "${sys:llmh.url}", description = "Server base URL (llmh.url).")
    String url;

    @Option(names = "--model", defaultValue = "${sys:llmh.model}", description = "Model name (llmh.model).")
    String model;

    @Option(
            names = "--api-key-env",
            defaultValue = "${sys:llmh.apiKeyEnv}",
            description = "Environment variable holding the API key (llmh.apiKeyEnv).")
    String apiKeyEnv;

    @Option(
            names = "--sim",
            defaultValue = "${sys:llmh.sim:-}",
            description = "Options of the embedded simulator, started when no URL is given (llmh.sim).")
    String simOptions;

    @Option(names = "--seed", defaultValue = "${sys:llmh.seed}", description = "Replaces the trial's seed (llmh.seed).")
    Long seed;

    @Option(
            names = "--output",
            defaultValue = "${sys:llmh.output}",
            description =
                    "Result JSON file with every point (llmh.output). Default: results/llmh-<command>-<time>.json.")
    Path output;

    @Option(
            names = "--report",
            negatable = true,
            defaultValue = "${sys:llmh.report:-true}",
            fallbackValue = "true",
            description = "Write report.html, report.md and summary files (llmh.report). Default: true.")
    boolean report;

    @Option(
            names = "--report-dir",
            defaultValue = "${sys:llmh.reportDir}",
            description = "Folder of the reports (llmh.reportDir). Default: beside the result, named after it.")
    Path reportDir;

    @Option(
            names = "--max-error-rate",
            defaultValue = "${sys:llmh.maxErrorRate}",
            description = "Error-rate objective when the trial's @Slo sets none: 5%% (default), 0.02, or none"
                    + " (llmh.maxErrorRate).")
    String maxErrorRate;

    @Option(
            names = "--slo",
            paramLabel = "METRIC BOUND",
            description = "One more objective, e.g. \"ttft p99 <= 500ms\" (metric ttft, tpot, itl or e2e);"
                    + " repeatable. Added to the trial's @Slo.")
    List<String> slo = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Supplier<List<BenchmarkSuite>> suites;
    private final Function<TrialSpec, PromptSource> prompts;
    private final Supplier<TargetResolver.EmbeddedTarget> simulator;
    private final Function<TrialSpec, TokenCounter> tokenCounters;
    private final Function<String, String> environment;

    /** As {@code llmh} runs it: suites from the class path, the simulator in its own JVM. */
    CapacityCommand() {
        this.suites = SuiteSelection::discover;
        this.prompts = trial -> PromptSources.forWorkload(trial.workload(), trial.seed());
        this.simulator = this::startSimulator;
        this.tokenCounters = trial ->
                TokenCounter.ofFunction(Tokenizers.forEncoding(trial.workload().encoding())::count, "tokenizer");
        this.environment = System::getenv;
    }

    /** With the collaborators given, as {@link RunCommand}'s (tests give their own suite). */
    CapacityCommand(
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

    /** The command's own work with its points run by {@code runner}; returns the exit code. */
    abstract int capacity(Template template, PointRunner runner, PrintStream out) throws Exception;

    /** The command's name in default file names. */
    abstract String name();

    /** The selected trial: its suite, the trial as declared, and the trial with {@code --slo} added. */
    record Template(BenchmarkSuite suite, TrialSpec declared, TrialSpec withSlo) {
        String subject() {
            return Points.subject(declared);
        }
    }

    @Override
    public final Integer call() throws Exception {
        PrintStream out =
                new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream err =
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        Path result = output != null ? output : defaultOutput();
        OutputPaths.requireWritable(result, OptionText.written(spec, "--output", result));
        // Every tuning property (-Dllmh.cpuSplit, -Dllmh.transport...), before any load: the points
        // read them only as each starts.
        dev.llmharness.runtime.run.TuningSettings.check(name -> spec.findOption(name) != null);
        String target = OptionText.url(spec, "--url", url); // before any point, in our words
        EmbeddedSimulator.check(simOptions); // a bad --sim is one line before any point, not at the first
        AnalysisThresholds thresholds = AnalysisThresholds.fromSystemProperties();
        Template template = template();
        RunSettings settings = new RunSettings(
                new TrialOverrides(null, 1.0, 1.0, seed, null, TrialOverrides.parseMaxErrorRate(maxErrorRate)),
                result,
                null,
                new ClientTimeouts(
                        ClientDefaults.CONNECT_TIMEOUT,
                        ClientDefaults.FIRST_TOKEN_TIMEOUT,
                        ClientDefaults.IDLE_TIMEOUT,
                        ClientDefaults.TOTAL_TIMEOUT),
                java.time.Duration.ZERO,
                Path.of("."));
        try (TargetResolver targets = new TargetResolver(target, model, apiKeyEnv, simulator, environment)) {
            PointRunner runner = new PointRunner(settings, targets, prompts, tokenCounters, err);
            // The JVM halts as soon as the shutdown hooks return: on Ctrl-C the hook waits until the
            // points measured so far are written, as llmh run's does, or they would be lost.
            java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        runner.interrupt();
                        try {
                            written.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "llmh-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                int code;
                try {
                    code = capacity(template, runner, out);
                } catch (TargetUnavailableException e) {
                    err.println("llmh " + name() + ": " + e.getMessage());
                    return Llmh.USAGE;
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // Already shutting down (Ctrl-C): the hook is running.
                    }
                }
                RunResult all = runner.collected();
                if (all != null) {
                    ResultJson.write(all, result);
                    out.println((runner.interrupted()
                                    ? "PARTIAL (interrupted): the "
                                            + all.trials().size() + " point(s) measured"
                                            + " so far are kept (the last may be cut short); result: "
                                    : "result: ")
                            + result);
                    if (report) {
                        writeReports(result, all, thresholds, out, err);
                    }
                } else if (runner.interrupted()) {
                    out.println("interrupted before any point was measured: no result file written");
                }
                out.flush();
                return runner.interrupted() ? Llmh.INTERRUPTED : code;
            } finally {
                written.countDown();
            }
        }
    }

    private void writeReports(
            Path file, RunResult all, AnalysisThresholds thresholds, PrintStream out, PrintStream err) {
        Path dir = reportDir != null ? reportDir : Reports.defaultDir(file);
        try {
            Reports.Written w = Reports.write(List.of(ReportInput.of(file, all)), dir, thresholds);
            out.println("report: " + w.html());
        } catch (RuntimeException e) {
            err.println("llmh " + name() + ": the reports could not be written (the result is not affected): "
                    + e.getMessage());
        }
    }

    /** The one trial selected by {@code --include}, and the objectives {@code --slo} adds. */
    private Template template() {
        List<PlannedTrial> trials = SuiteSelection.select(suites.get(), include);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trial matches --include \"" + include + "\"; `llmh list` shows the trials on the class path");
        }
        Map<String, PlannedTrial> subjects = new LinkedHashMap<>();
        for (PlannedTrial p : trials) {
            subjects.putIfAbsent(Points.subject(p.declared()), p);
        }
        if (subjects.size() > 1) {
            // Each by the id of one of its trials, as `llmh list` prints it: the regex is searched in
            // those ids, whose load parameter (rate=8) can sit between the name and the others.
            List<String> names = new ArrayList<>();
            subjects.values().forEach(p -> names.add(p.declared().id()));
            throw new IllegalArgumentException("--include \"" + include + "\" matches " + names.size()
                    + " benchmarks or parameter sets (" + String.join(", ", names.subList(0, Math.min(4, names.size())))
                    + (names.size() > 4 ? ", ..." : "") + "); narrow it to one: it is a regular expression searched"
                    + " in these trial ids");
        }
        PlannedTrial p = trials.get(0);
        return new Template(
                p.suite(),
                p.declared(),
                Points.withSlo(p.declared(), withExtraSlo(p.declared().slo())));
    }

    private SloSpec withExtraSlo(SloSpec declared) {
        if (slo.isEmpty()) {
            return declared;
        }
        List<LatencyBound> bounds = new ArrayList<>(declared.bounds());
        for (String text : slo) {
            String t = text.strip();
            int space = t.indexOf(' ');
            SloMetric metric = null;
            // The metric as result files name it (Metric knows the names), not the enum's spelling.
            for (SloMetric m : SloMetric.values()) {
                if (space > 0 && Metric.of(m).key().equalsIgnoreCase(t.substring(0, space))) {
                    metric = m;
                }
            }
            if (metric == null) {
                List<String> names = java.util.Arrays.stream(SloMetric.values())
                        .map(m -> Metric.of(m).key())
                        .toList();
                throw OptionText.invalid(
                        spec,
                        "--slo",
                        text,
                        "write a metric (" + String.join(", ", names.subList(0, names.size() - 1)) + " or "
                                + names.get(names.size() - 1) + ") and a bound, e.g. \"ttft p99 <= 500ms\"");
            }
            try {
                bounds.add(LatencyBound.parse(metric, t.substring(space + 1).strip()));
            } catch (IllegalArgumentException e) {
                throw OptionText.invalid(spec, "--slo", text, e.getMessage());
            }
        }
        return declared.withBounds(bounds);
    }

    private Path defaultOutput() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("results", "llmh-" + name() + "-" + stamp + ".json");
    }

    /**
     * The embedded simulator in its own JVM, as {@code llmh run} starts it, on CPUs of its own unless
     * {@code -Dllmh.cpuSplit=off} (checked before any load).
     */
    private TargetResolver.EmbeddedTarget startSimulator() {
        return EmbeddedSimulator.start(
                simOptions,
                CpuSplit.SETTING.fromProperty(),
                new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true));
    }
}
