package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.cli.OptionText;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.result.ResultFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code llmh compare BASE... -- CONTENDER...}: compares result files and says whether the
 * contender regressed. Exit codes: {@code 0} no gated regression, {@code 1} a gated regression (or,
 * with {@code --fail-on inconclusive}, a gated metric that could not be decided or a base trial not
 * compared), {@code 2} usage or input error (the
 * message names the file), {@code 3} the environments differ under {@code --strict}.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Compares result files: BASE... -- CONTENDER... (several files on a side are replicate runs).",
            "Each metric gets a direction-aware change with a bootstrap confidence interval and a verdict",
            "(REGRESSION, IMPROVEMENT, NO CHANGE, INCONCLUSIVE) against a noise threshold; gated metrics",
            "decide the exit code: 0 no gated regression, 1 gated regression, 2 usage or input error,",
            "3 environments differ under --strict."
        },
        exitCodeOnInvalidInput = 2,
        exitCodeOnExecutionException = 2)
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "Base result files, then --, then contender result files.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "terminal",
            description = "terminal (default), markdown (for a pull-request comment) or json.")
    String format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE; the terminal table still goes to standard output.")
    Path output;

    @Option(
            names = "--threshold",
            paramLabel = "METRIC=VALUE",
            description = "Noise threshold of a metric, e.g. ttft.p99=15%% or errorRate=1%% (absolute for errorRate)."
                    + " Defaults: 5%% for throughput and percentiles below p90, 10%% from p90, 0.5%% for errorRate.")
    Map<String, String> thresholds = new LinkedHashMap<>();

    @Option(
            names = "--gate",
            paramLabel = "METRIC",
            split = ",",
            description = "Metrics whose regression fails the comparison in every trial. Default: by load model;"
                    + " open loop ttft.p50,ttft.p90,tpot.p50,tpot.p90,errorRate; closed loop the same plus"
                    + " outputTokensPerSecond.")
    List<String> gate;

    @Option(
            names = "--fail-on",
            paramLabel = "WHAT",
            defaultValue = "regression",
            description = "regression (default), inconclusive (a gated metric that could not be decided, or a base"
                    + " trial not compared, fails too) or never (warn only).")
    String failOn;

    @Option(names = "--strict", description = "Differing environments are an error (exit 3), not a warning.")
    boolean strict;

    @Option(
            names = "--allow-mixed-runs",
            description = "Pool the runs of a side even when they differ in their environment (server, simulator"
                    + " options, model, harness, load): a warning, not an input error (exit 2).")
    boolean allowMixedRuns;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "" + CompareOptions.DEFAULT_SEED,
            description = "Resampling seed (default ${DEFAULT-VALUE}); the same seed gives the same report.")
    long seed;

    @Option(
            names = "--resamples",
            paramLabel = "N",
            defaultValue = "" + CompareOptions.DEFAULT_RESAMPLES,
            description = "Bootstrap replicates per metric (default ${DEFAULT-VALUE}).")
    int resamples;

    @Option(
            names = "--confidence",
            paramLabel = "LEVEL",
            defaultValue = "0.95",
            description = "Two-sided confidence level of the intervals (default ${DEFAULT-VALUE}).")
    double confidence;

    /** The comparison this command made, for a command that ran it ({@link #lastReport}). */
    private ComparisonReport lastReport;

    /**
     * The comparison this command made, {@code null} when it made none (bad input): what {@code
     * llmh gate} and the bench profile's gate end their logs with.
     */
    public ComparisonReport lastReport() {
        return lastReport;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The options with a fixed set of values first, as every command reads them.
        CompareFormat chosen = OptionText.choice(spec, CompareFormat.SETTING, format);
        FailOn fail = OptionText.choice(spec, FailOn.SETTING, failOn);
        try {
            List<List<Path>> sides = splitSides();
            CompareOptions options = options();
            if (output != null) {
                OutputPaths.requireWritable(output, "-o " + output);
                OutputPaths.requireNotAnInput(output, "-o " + output, files);
            }
            ComparisonReport report = Comparison.compareFiles(sides.get(0), sides.get(1), options);
            lastReport = report;
            if (report.noTrialsInCommon()) {
                err.println("llmh compare: the base and the contender have no trial in common; base trials: "
                        + report.onlyInBase() + ", contender trials: " + report.onlyInContender()
                        + ". Compare results of the same benchmarks and parameters.");
                err.flush();
                return ComparisonReport.EXIT_INPUT_ERROR;
            }
            if (output != null) {
                write(output, chosen.render(report));
                out.print(CompareFormat.TERMINAL.render(report));
            } else {
                out.print(chosen.render(report));
            }
            out.flush();
            int code = report.exitCode(fail);
            if (code == ComparisonReport.EXIT_INCOMPARABLE) {
                err.println("llmh compare: the environments differ and --strict is set: "
                        + String.join("; ", report.environmentDifferences()));
            } else if (code == ComparisonReport.EXIT_REGRESSION) {
                failureLines(report, fail).forEach(err::println);
            }
            err.flush();
            return code;
        } catch (ResultFormatException | IllegalArgumentException e) {
            err.println("llmh compare: " + e.getMessage());
            err.flush();
            return ComparisonReport.EXIT_INPUT_ERROR;
        } catch (IOException e) {
            err.println("llmh compare: cannot write " + output + ": " + e.getMessage());
            err.flush();
            return ComparisonReport.EXIT_INPUT_ERROR;
        }
    }

    /**
     * Checks options meant for a later {@code llmh compare} ({@code llmh gate --compare-options},
     * {@code llmh.compareOptions}) before any load: a typo in them is one line and exit code 2 in a
     * second, not after minutes of runs.
     *
     * @throws IllegalArgumentException one line naming the bad option or value
     */
    public static void checkOptions(List<String> extra) {
        CompareCommand c = new CompareCommand();
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("base.json", "--", "contender.json"));
        try {
            new CommandLine(c).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        c.options();
        CompareFormat.parse(c.format);
        FailOn.parse(c.failOn);
    }

    /**
     * Why the comparison failed, for standard error: the headline and each gated regression, then,
     * under {@code --fail-on inconclusive}, each gated metric that could not be decided and each
     * base trial not compared. The headline alone would read "NO GATED REGRESSION" beside exit code
     * 1 when only those failed it.
     */
    static List<String> failureLines(ComparisonReport report, FailOn fail) {
        List<String> lines = new ArrayList<>();
        if (report.summary().gatedRegressions() > 0) {
            lines.add("llmh compare: " + Cells.headline(report));
            for (ComparisonReport.Finding f : report.gatedRegressions()) {
                lines.add("llmh compare:   " + Cells.finding(f));
            }
        }
        int undecided = report.summary().gatedInconclusive();
        int notCompared = report.onlyInBase().size();
        if (fail == FailOn.INCONCLUSIVE && undecided + notCompared > 0) {
            List<String> why = new ArrayList<>();
            if (undecided > 0) {
                why.add(undecided + " gated metric(s) could not be decided");
            }
            if (notCompared > 0) {
                why.add(Cells.plural(notCompared, "baseline trial", "baseline trials") + " not compared");
            }
            lines.add("llmh compare: FAILED under --fail-on inconclusive: " + String.join("; ", why));
            for (String line : Cells.undecided(report)) {
                lines.add("llmh compare:   " + line);
            }
            for (String id : report.onlyInBase()) {
                lines.add("llmh compare:   " + id + ": only in base, not compared (no contender trial has its id)");
            }
        }
        return lines;
    }

    /**
     * Picocli drops the {@code --} delimiter, so the split comes from the original arguments:
     * everything after the first {@code --} is a contender file, the other files are the base.
     */
    private List<List<Path>> splitSides() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int delimiter = original.indexOf("--");
        if (delimiter < 0) {
            throw new IllegalArgumentException("separate the base files from the contender files with --, e.g. "
                    + "llmh compare base.json -- contender.json");
        }
        int contenderCount = original.size() - delimiter - 1;
        int baseCount = files.size() - contenderCount;
        if (contenderCount < 1 || baseCount < 1) {
            throw new IllegalArgumentException("give at least one base file before -- and one contender file after"
                    + " it, e.g. llmh compare base.json -- contender.json");
        }
        return List.of(List.copyOf(files.subList(0, baseCount)), List.copyOf(files.subList(baseCount, files.size())));
    }

    private CompareOptions options() {
        CompareOptions options = new CompareOptions(
                seed,
                resamples,
                confidence,
                CompareOptions.DEFAULT_METRICS,
                gate == null ? CompareOptions.DEFAULT_GATE : gateSet(gate),
                Map.of(),
                strict,
                allowMixedRuns);
        for (Map.Entry<String, String> t : thresholds.entrySet()) {
            options = options.withThreshold(t.getKey().strip(), parseFraction(t.getKey(), t.getValue()));
        }
        return options;
    }

    private static Set<String> gateSet(List<String> names) {
        Set<String> set = new LinkedHashSet<>();
        for (String n : names) {
            if (!n.isBlank()) {
                set.add(n.strip());
            }
        }
        return set;
    }

    /** {@code "15%"} is 0.15; a plain number is a fraction ({@code "0.15"}). */
    static double parseFraction(String metric, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("%")) {
                return Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100.0;
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid threshold '" + text + "' for " + metric
                    + ": write a percentage (15%) or a fraction (0.15)");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    /** Runs the command on its own (before it is mounted under {@code llmh}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CompareCommand()).execute(args));
    }
}
