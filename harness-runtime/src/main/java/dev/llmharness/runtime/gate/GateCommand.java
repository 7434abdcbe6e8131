package dev.llmharness.runtime.gate;

import dev.llmharness.api.Fork;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.cli.OptionText;
import dev.llmharness.runtime.cli.SuiteSelection;
import dev.llmharness.runtime.compare.CompareCommand;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.settings.ServerUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh gate}: what a CI job runs (and the Maven {@code bench} profile through it). Runs the
 * benchmarks N times ({@code --forks}, {@code llmh.forks}, else the largest {@code @Fork} of the
 * selected classes, else 1) into {@code latest.json} (or {@code latest.run-<i>.json}), then either
 * compares them with the baseline ({@code baseline.json} or {@code baseline.run-<i>.json}) or, with
 * {@code --update-baseline}, promotes them ({@link Promotion}).
 *
 * <p>With {@code --base-sim} or {@code --base-url}, the gate produces both sides itself and
 * interleaves them (base 1, contender 1, base 2, contender 2...), so that a change in the machine's
 * load falls on both sides alike; the base runs go to {@code base.json} / {@code base.run-<i>.json}.
 *
 * <p>Every {@code llmh.*} property {@code llmh run} reads applies to the runs (the contender's
 * options); the base differs only by its simulator options or URL. Exit code: that of {@code llmh
 * run} when it is neither 0 nor 1, else 1 when an SLO failed, else that of {@code llmh compare} (1 a
 * gated regression, 2 input error, 3 environments differ under {@code --strict}), else 0.
 */
@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the benchmarks (N runs), compares them with the baseline and fails on a gated regression;",
            "or promotes them to the baseline. What the bench profile and a CI job run."
        })
public final class GateCommand implements Callable<Integer> {
    @Option(
            names = "--results",
            paramLabel = "DIR",
            defaultValue = "${sys:llmh.results:-results}",
            description = "Directory of latest*.json, baseline*.json and comparison.md (llmh.results)."
                    + " Default: results.")
    Path results;

    @Option(
            names = "--forks",
            paramLabel = "N",
            defaultValue = "${sys:llmh.forks}",
            description = "Runs per side, 1 to 100 (llmh.forks). Default: the largest @Fork of the selected classes,"
                    + " else 1.")
    String forks;

    @Option(
            names = "--update-baseline",
            defaultValue = "${sys:llmh.updateBaseline:-false}",
            description = "Promote the new runs to the baseline instead of comparing (llmh.updateBaseline).")
    boolean updateBaseline;

    @Option(
            names = "--force",
            defaultValue = "${sys:llmh.forceBaseline:-false}",
            description = "With --update-baseline: promote even a harness-limited or failing result, or one whose"
                    + " SLO objective failed (llmh.forceBaseline).")
    boolean force;

    @Option(
            names = "--base-sim",
            paramLabel = "OPTIONS",
            defaultValue = "${sys:llmh.baseSim}",
            description = "Produce the base side too, against the simulator with these options, interleaved with"
                    + " the contender's runs (llmh.baseSim); \"default\" for the default simulator.")
    String baseSim;

    @Option(
            names = "--base-url",
            paramLabel = "URL",
            defaultValue = "${sys:llmh.baseUrl}",
            description = "Produce the base side too, against this server, interleaved (llmh.baseUrl).")
    String baseUrl;

    @Option(
            names = "--compare-options",
            paramLabel = "OPTIONS",
            defaultValue = "${sys:llmh.compareOptions:-}",
            description = "Extra llmh compare options, space-separated, e.g. \"--fail-on inconclusive\""
                    + " (llmh.compareOptions).")
    String compareOptions;

    @Option(
            names = "--include",
            defaultValue = "${sys:llmh.include:-.*}",
            description = "Regex a trial id must contain (llmh.include): also decides which @Fork applies.")
    String include;

    @CommandLine.Parameters(
            paramLabel = "RUN_OPTION",
            description = "After --: options given to every llmh run, e.g. -- --url http://127.0.0.1:8000"
                    + " --duration 30s (the base side's --url / --sim come last and win).")
    List<String> runOptions = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = stream(spec.commandLine().getOut());
        PrintStream err = stream(spec.commandLine().getErr());
        // Read as -Dllmh.forks is everywhere (BenchGate, the Maven plugin): 1 to Limits.MAX_FORKS.
        Integer given = OptionText.choice(spec, BenchGate.FORKS, forks);
        int n = given != null ? given : declaredForks(include);
        // A class compiled before @Fork had its upper bound is held to it here.
        String outside = dev.llmharness.api.Limits.outsideForks("@Fork of the selected classes", n);
        if (outside != null) {
            err.println("llmh gate: " + outside + "; give --forks to replace it");
            return Llmh.USAGE;
        }
        boolean simBase = baseSim != null && !baseSim.isBlank();
        boolean urlBase = baseUrl != null && !baseUrl.isBlank();
        if (simBase && urlBase) {
            // One base side: the URL would win silently and the simulator options be ignored.
            err.println("llmh gate: --base-sim and --base-url both name the base side (llmh.baseSim, llmh.baseUrl);"
                    + " give one of them");
            return Llmh.USAGE;
        }
        boolean bothSides = simBase || urlBase;
        if (bothSides && updateBaseline) {
            err.println("llmh gate: --update-baseline promotes the contender's runs; it cannot be combined with"
                    + " --base-sim / --base-url, which produce the base side in the same invocation");
            return Llmh.USAGE;
        }
        Path markdown = results.resolve("comparison.md");
        try {
            CompareCommand.checkOptions(extraCompareOptions());
        } catch (IllegalArgumentException e) {
            err.println("llmh gate: --compare-options \"" + compareOptions.strip() + "\": " + e.getMessage());
            return Llmh.USAGE;
        }
        // The runs' tuning properties (-Dllmh.transport...) too: one line before any run, not the
        // first run's line and the gate's.
        dev.llmharness.runtime.run.TuningSettings.check(name -> false);
        String badTarget = badTarget();
        if (badTarget != null) {
            // Before any run: a typo in the contender's URL or simulator options would otherwise
            // surface after the base side's first run, and a URL's in an HTTP client's words.
            err.println("llmh gate: " + badTarget);
            return Llmh.USAGE;
        }
        try {
            // Before any load, and in the user's words: the folder must take latest.json.
            dev.llmharness.runtime.result.OutputPaths.requireWritable(
                    results.resolve("latest.json"), "--results " + results);
        } catch (IllegalArgumentException e) {
            err.println("llmh gate: " + e.getMessage());
            return Llmh.USAGE;
        }
        // The baseline set is checked before any load: a run file missing from it is an input error
        // found in a second, not after minutes of benchmarks.
        List<Path> baseline = List.of();
        if (!bothSides && !updateBaseline) {
            try {
                baseline = ResultFiles.completeSet(results, "baseline");
                requireReadableBaseline(results, baseline);
            } catch (IllegalArgumentException | ResultFormatException e) {
                err.println("llmh gate: " + e.getMessage());
                return Llmh.USAGE;
            } catch (IOException e) {
                err.println("llmh gate: cannot list " + results + ": " + e);
                return Llmh.RUN_ERROR;
            }
        }
        // The previous gate's files are set aside, not deleted (PreviousResults says why).
        PreviousResults previous;
        try {
            Files.createDirectories(results);
            List<Path> files = new ArrayList<>(ResultFiles.existing(results, "latest"));
            if (bothSides) {
                files.addAll(ResultFiles.existing(results, "base"));
            }
            files.add(markdown);
            previous = PreviousResults.setAside(files);
        } catch (IOException e) {
            err.println("llmh gate: cannot prepare " + results + ": " + e);
            return Llmh.RUN_ERROR;
        }
        List<Path> latest = new ArrayList<>();
        List<Path> base = new ArrayList<>();
        boolean sloFailed = false;
        for (int i = 1; i <= n; i++) {
            if (bothSides) {
                Path b = ResultFiles.of(results, "base", i, n);
                out.println("llmh gate: run " + i + " of " + n + ", base side"
                        + (baseUrl != null && !baseUrl.isBlank() ? " (" + baseUrl + ")" : " (--sim " + baseSim + ")"));
                int code = run(out, err, b, true);
                previous.settle(code, err, "llmh gate: ");
                if (code != Llmh.OK && code != Llmh.SLO_FAILED) {
                    return failedRun(err, code);
                }
                base.add(b);
            }
            Path c = ResultFiles.of(results, "latest", i, n);
            if (n > 1 || bothSides) {
                out.println("llmh gate: run " + i + " of " + n + (bothSides ? ", contender side" : ""));
            }
            int code = run(out, err, c, false);
            previous.settle(code, err, "llmh gate: ");
            if (code != Llmh.OK && code != Llmh.SLO_FAILED) {
                return failedRun(err, code);
            }
            sloFailed |= code == Llmh.SLO_FAILED;
            if (!Files.isRegularFile(c)) {
                err.println("llmh gate: llmh run wrote no " + c);
                return Llmh.RUN_ERROR;
            }
            latest.add(c);
        }
        if (updateBaseline) {
            // Refuses a run whose objectives failed too, unless --force: Promotion's one rule.
            return Promotion.promote(latest, results, "baseline", force, out, err);
        }
        if (!bothSides) {
            base = baseline;
            if (base.isEmpty()) {
                out.println("llmh gate: no baseline in " + results + " (baseline.json, or baseline.run-<i>.json for"
                        + " several runs): nothing to compare with. Create it with --update-baseline"
                        + " (-Dllmh.updateBaseline=true) and commit it.");
                if (sloFailed) {
                    err.println("llmh gate: FAILED: an SLO objective failed (llmh run exit code 1)");
                    printFailedObjectives(latest, err);
                    return Llmh.SLO_FAILED;
                }
                return Llmh.OK;
            }
        }
        List<String> compare = new ArrayList<>(List.of("compare", "--format", "markdown", "-o", markdown.toString()));
        compare.addAll(extraCompareOptions());
        base.forEach(p -> compare.add(p.toString()));
        compare.add("--");
        latest.forEach(p -> compare.add(p.toString()));
        out.println("llmh gate: llmh " + String.join(" ", compare));
        CommandLine compareLine = commandLine(out, err);
        int compareCode = compareLine.execute(compare.toArray(String[]::new));
        ComparisonReport report =
                ((CompareCommand) compareLine.getSubcommands().get("compare").getCommand()).lastReport();
        if (sloFailed) {
            err.println("llmh gate: FAILED: an SLO objective failed (llmh run exit code 1)");
            printFailedObjectives(latest, err);
            return Llmh.SLO_FAILED;
        }
        String verdict = GateVerdict.line(
                report, compareCode, runs(base.size(), "base") + ", " + runs(latest.size(), "contender"));
        (compareCode == Llmh.OK ? out : err).println("llmh gate: " + verdict);
        return compareCode;
    }

    /**
     * Reads the baseline set as the comparison after the runs will, so that a damaged, truncated or
     * edited baseline (or a folder in {@code baseline.json}'s place) is one line naming it before any
     * load, not after minutes of benchmarks.
     *
     * @throws ResultFormatException naming the file and the problem
     */
    static void requireReadableBaseline(Path results, List<Path> baseline) {
        Path single = results.resolve("baseline.json");
        List<Path> files = new ArrayList<>(baseline);
        if (files.isEmpty() && Files.exists(single)) {
            files.add(single); // not a regular file, so not in the set: refused by the reader
        }
        List<RunResult> runs = new ArrayList<>();
        for (Path p : files) {
            RunResult run = ResultJson.read(p);
            ResultChecks.requireTrials(run, p.toString(), "compare");
            runs.add(run);
        }
        if (!runs.isEmpty()) {
            ResultChecks.requireReplicates(
                    runs, files.stream().map(Path::toString).toList(), "base");
        }
    }

    /**
     * The first bad server URL or simulator options the runs would use, as one line, or {@code
     * null}: {@code --base-url} and {@code --base-sim}, each {@code --url} and {@code --sim} among
     * the run options, else {@code -Dllmh.url} and {@code -Dllmh.sim} (which the runs read).
     */
    private String badTarget() {
        String bad =
                firstBad(OptionText.writtenName(spec, "--base-url"), baseUrl, "--url", "llmh.url", ServerUrl::check);
        String sim = baseSim == null || "default".equals(baseSim.strip()) ? null : baseSim;
        return bad != null
                ? bad
                : firstBad(
                        OptionText.writtenName(spec, "--base-sim"),
                        sim,
                        "--sim",
                        "llmh.sim",
                        dev.llmharness.runtime.sim.SimCommand::fromOptions);
    }

    /**
     * The message of the first value {@code check} refuses, or {@code null}: {@code baseValue}
     * (written {@code baseName}), then each {@code option} among the run options, else {@code
     * -D<property>}.
     */
    private String firstBad(
            String baseName,
            String baseValue,
            String option,
            String property,
            java.util.function.BiConsumer<String, String> check) {
        List<String[]> values = new ArrayList<>();
        values.add(new String[] {baseName, baseValue});
        boolean given = false;
        for (int i = 0; i < runOptions.size(); i++) {
            String o = runOptions.get(i);
            if (o.equals(option) && i + 1 < runOptions.size()) {
                values.add(new String[] {option, runOptions.get(i + 1)});
                given = true;
            } else if (o.startsWith(option + "=")) {
                values.add(new String[] {option, o.substring(option.length() + 1)});
                given = true;
            }
        }
        if (!given) {
            values.add(new String[] {"-D" + property, System.getProperty(property)});
        }
        for (String[] v : values) {
            try {
                check.accept(v[0], v[1]);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private List<String> extraCompareOptions() {
        String extra = compareOptions == null ? "" : compareOptions.strip();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    private int run(PrintStream out, PrintStream err, Path output, boolean baseSide) {
        // The selection that decided the runs a side selects the trials too; an --include among the
        // run options comes later and wins.
        List<String> args = new ArrayList<>(List.of("run", "--include", include));
        args.addAll(runOptions);
        args.addAll(List.of("--output", output.toString()));
        if (baseSide && baseUrl != null && !baseUrl.isBlank()) {
            args.addAll(List.of("--url", baseUrl));
        } else if (baseSide) {
            args.addAll(List.of("--url", "", "--sim", "default".equals(baseSim.strip()) ? "" : baseSim.strip()));
        }
        return execute(out, err, args);
    }

    /** One line per failed objective of each run, so that a build log names the trial and objective. */
    private static void printFailedObjectives(List<Path> runs, PrintStream err) {
        for (Path run : runs) {
            for (String failure : BenchGate.failedObjectives(dev.llmharness.runtime.result.ResultJson.read(run))) {
                err.println("llmh gate:   " + (runs.size() > 1 ? run.getFileName() + ": " : "") + failure);
            }
        }
    }

    /**
     * A run that failed ends the gate with its code. A run refused with exit code 2 (a bad dataset
     * or trace, option or target) has said so in its one line, naming the problem and the fix: a
     * second line would only repeat the code, so the gate adds one only for a run error.
     */
    private static int failedRun(PrintStream err, int code) {
        if (code != Llmh.USAGE) {
            err.println("llmh gate: llmh run failed with exit code " + code + " (3: run error); nothing compared");
        }
        return code;
    }

    /** The largest {@code @Fork} among the classes with a selected trial; 1 when none declares one. */
    static int declaredForks(String include) {
        int n = 1;
        for (BenchmarkSuite suite : SuiteSelection.suitesMatching(include)) {
            n = Math.max(n, forksOf(suite));
        }
        return n;
    }

    /** A suite's {@code @Fork} value, read once per run from the benchmark class (never on a request path). */
    static int forksOf(BenchmarkSuite suite) {
        try {
            Class<?> c = Class.forName(
                    suite.benchmarkClass(), false, suite.getClass().getClassLoader());
            Fork f = c.getAnnotation(Fork.class);
            return f == null ? 1 : f.value();
        } catch (ClassNotFoundException e) {
            return 1;
        }
    }

    /** Runs an {@code llmh} subcommand with this command's factory; a later option wins over an earlier one. */
    private int execute(PrintStream out, PrintStream err, List<String> args) {
        return commandLine(out, err).execute(args.toArray(String[]::new));
    }

    private CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = Llmh.commandLine(spec.commandLine().getFactory());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    /** {@code "3 base runs"}, {@code "1 base run"}. */
    private static String runs(int n, String side) {
        return n + " " + side + " run" + (n == 1 ? "" : "s");
    }

    private static PrintStream stream(PrintWriter writer) {
        return new PrintStream(
                new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        writer.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        writer.write(new String(b, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void flush() {
                        writer.flush();
                    }
                },
                true,
                StandardCharsets.UTF_8);
    }
}
