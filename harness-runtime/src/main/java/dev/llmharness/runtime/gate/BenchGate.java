package dev.llmharness.runtime.gate;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.compare.CompareCommand;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.report.Analysis;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What the {@code bench} Maven profile runs in its forked JVM: {@code llmh run} into {@code
 * results/latest.json}, then {@code llmh compare results/baseline.json -- results/latest.json}
 * when a baseline exists, or, with {@code -Dllmh.updateBaseline=true}, the new result promoted to
 * the baseline. The run writes its reports to {@code results/latest/} ({@code report.html}, {@code
 * report.md}, summaries); with a baseline, {@code llmh report} adds {@code
 * results/latest-vs-baseline/} with both runs overlaid. Not an example benchmark: it is the glue a CI job would otherwise write in shell,
 * kept in Java so that it behaves the same on every operating system.
 *
 * <p>Exit code: that of {@code llmh run} when it is not 0 (1 an SLO failed, 2 bad configuration or
 * unreachable target, 3 the run failed), else that of {@code llmh compare} (1 a gated regression, 2
 * an input error, 3 environments differ under {@code --strict}), else 0.
 *
 * <p>System properties: every {@code llmh.*} property the run and compare commands read; one set
 * to an empty or blank value counts as not set, because the Maven profile passes each property on
 * with an empty default. {@code llmh.updateBaseline=true} promotes the result; {@code
 * llmh.compareOptions} adds options to {@code llmh compare} (e.g. {@code --fail-on never}).
 */
public final class BenchGate {
    /** System property: {@code true} copies the new result over the baseline and skips the gate. */
    public static final String UPDATE_BASELINE = "llmh.updateBaseline";

    /** System property: extra {@code llmh compare} options, separated by spaces. */
    public static final String COMPARE_OPTIONS = "llmh.compareOptions";

    /** {@value #UPDATE_BASELINE}: {@code true} or {@code false}, as {@code llmh gate --update-baseline}. */
    static final Choice<Boolean> UPDATE = Choice.ofBoolean(UPDATE_BASELINE, null, false);

    /** {@code llmh.forceBaseline}: {@code true} or {@code false}, as {@code llmh gate --force}. */
    public static final Choice<Boolean> FORCE = Choice.ofBoolean("llmh.forceBaseline", null, false);

    /**
     * {@code llmh.forks} and {@code llmh gate --forks}: runs per side, 1 to {@link
     * dev.llmharness.api.Limits#MAX_FORKS} as {@code @Fork}; not set: the classes' {@code @Fork}.
     */
    public static final Choice<Integer> FORKS =
            Choice.ofWholeNumber("llmh.forks", "--forks", 1, dev.llmharness.api.Limits.MAX_FORKS, null);

    /**
     * The gate's own settings, read by {@link #checkProperties} and by the Maven plugin before it
     * forks.
     */
    public static final java.util.List<Choice<?>> SETTINGS = java.util.List.of(UPDATE, FORCE, FORKS);

    private BenchGate() {}

    /**
     * Reads the gate's own properties before anything runs, so that {@code
     * -Dllmh.updateBaseline=yes} is one line and exit code 2, not a silent comparison.
     *
     * @return {@link Llmh#OK}, or {@link Llmh#USAGE} after one line on {@code err}
     */
    static int checkProperties(java.util.Properties p, PrintStream err) {
        try {
            for (Choice<?> setting : SETTINGS) {
                setting.from(p);
            }
            return Llmh.OK;
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return Llmh.USAGE;
        }
    }

    /**
     * Runs the gate and exits the JVM with its exit code.
     *
     * @param args {@code <results directory>}: where {@code latest.json}, {@code baseline.json}
     *     and {@code comparison.md} are
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BenchGate <results directory>, e.g. BenchGate results");
            System.exit(Llmh.USAGE);
        }
        Llmh.clearBlankProperties(System.getProperties());
        if (checkProperties(System.getProperties(), System.err) != Llmh.OK) {
            System.exit(Llmh.USAGE);
        }
        boolean gate;
        try {
            gate = needsGateCommand(
                            System.getProperties(),
                            () -> GateCommand.declaredForks(System.getProperty("llmh.include", ".*")))
                    || hasRunFiles(Path.of(args[0]), "baseline");
        } catch (IllegalArgumentException e) { // a bad -Dllmh.include
            System.err.println("bench: " + e.getMessage());
            System.exit(Llmh.USAGE);
            return;
        }
        if (gate) {
            // Several runs a side, or both sides produced here: llmh gate does that (and reads the
            // same llmh.* properties), so that the plugin and a CI script give the same verdict.
            System.exit(Llmh.commandLine(CommandLine.defaultFactory()).execute("gate", "--results", args[0]));
        }
        System.exit(run(
                Path.of(args[0]),
                UPDATE.fromProperty(),
                splitOptions(System.getProperty(COMPARE_OPTIONS, "")),
                System.out,
                System.err));
    }

    /**
     * Whether the gate needs {@code llmh gate}'s several runs a side: {@code llmh.forks} above 1, a
     * base side to produce ({@code llmh.baseSim}, {@code llmh.baseUrl}), or, with {@code llmh.forks}
     * not set, a selected class's {@code @Fork} above 1. One run against a committed baseline stays
     * here.
     */
    static boolean needsGateCommand(java.util.Properties p, java.util.function.IntSupplier declaredForks) {
        if (!p.getProperty("llmh.baseSim", "").isBlank()
                || !p.getProperty("llmh.baseUrl", "").isBlank()) {
            return true;
        }
        Integer forks = FORKS.from(p);
        if (forks != null) {
            return forks != 1;
        }
        return declaredForks.getAsInt() > 1;
    }

    /**
     * Whether the set {@code name} in {@code dir} is kept as run files ({@code baseline.run-<i>.json}):
     * then even one new run is compared by {@code llmh gate}, which reads such a set (this class
     * reads only {@code baseline.json} and would report no baseline and pass).
     */
    static boolean hasRunFiles(Path dir, String name) {
        try {
            Path single = dir.resolve(name + ".json");
            return ResultFiles.existing(dir, name).stream().anyMatch(p -> !p.equals(single));
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> splitOptions(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    /**
     * Runs, then compares or promotes.
     *
     * @param resultsDir directory of {@code latest.json} (written), {@code baseline.json} (read, or
     *     written when {@code updateBaseline}) and {@code comparison.md} (written by compare)
     * @param updateBaseline promote the new result instead of comparing
     * @param compareOptions extra options for {@code llmh compare}
     * @return the exit code described in the class comment
     */
    static int run(
            Path resultsDir, boolean updateBaseline, List<String> compareOptions, PrintStream out, PrintStream err) {
        return run(resultsDir, updateBaseline, compareOptions, out, err, CommandLine.defaultFactory());
    }

    /**
     * {@link #run(Path, boolean, List, PrintStream, PrintStream)} with the factory that makes the
     * {@code llmh} commands it runs (a test's makes its run command with the test's trials).
     */
    static int run(
            Path resultsDir,
            boolean updateBaseline,
            List<String> compareOptions,
            PrintStream out,
            PrintStream err,
            CommandLine.IFactory factory) {
        Path latest = resultsDir.resolve("latest.json");
        Path baseline = resultsDir.resolve("baseline.json");
        Path markdown = resultsDir.resolve("comparison.md");
        try {
            dev.llmharness.runtime.result.OutputPaths.requireWritable(latest, "the results folder " + resultsDir);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return Llmh.USAGE;
        }
        if (!updateBaseline) {
            try {
                dev.llmharness.runtime.compare.CompareCommand.checkOptions(compareOptions);
            } catch (IllegalArgumentException e) {
                err.println("bench: " + COMPARE_OPTIONS + " \"" + String.join(" ", compareOptions) + "\": "
                        + e.getMessage());
                return Llmh.USAGE;
            }
        }
        if (!updateBaseline && Files.exists(baseline)) {
            // Read as the comparison after the run will: a damaged baseline is one line before any
            // load, not after minutes of benchmarks (as llmh gate does).
            try {
                GateCommand.requireReadableBaseline(
                        resultsDir, Files.isRegularFile(baseline) ? List.of(baseline) : List.of());
            } catch (IllegalArgumentException | ResultFormatException e) {
                err.println("bench: " + e.getMessage());
                return Llmh.USAGE;
            }
        }
        // The previous run's result is set aside, not deleted: a run refused on bad input, before
        // any load, must not cost it (PreviousResults).
        PreviousResults previous;
        try {
            Files.createDirectories(resultsDir);
            previous = PreviousResults.setAside(List.of(latest, markdown));
        } catch (IOException e) {
            err.println("bench: cannot prepare " + resultsDir + ": " + e);
            return Llmh.RUN_ERROR;
        }
        int runCode = execute(factory, out, err, "run", "--output", latest.toString());
        previous.settle(runCode, err, "bench: ");
        if (runCode != Llmh.OK && runCode != Llmh.SLO_FAILED) {
            // A run refused on bad input (2) has named the problem and the fix in its one line; a
            // second line would only repeat the code.
            if (runCode != Llmh.USAGE) {
                err.println("bench: llmh run failed with exit code " + runCode + " (3: run error); nothing compared");
            }
            return runCode;
        }
        if (!Files.isRegularFile(latest)) {
            err.println("bench: llmh run wrote no " + latest + "; was llmh.output set? The bench profile writes"
                    + " the result there itself");
            return Llmh.RUN_ERROR;
        }
        if (updateBaseline) {
            // Refuses a harness-limited, failing or partial result, or one whose objectives failed,
            // unless -Dllmh.forceBaseline=true.
            int promoted = Promotion.promote(
                    List.of(latest),
                    resultsDir,
                    "baseline",
                    FORCE.fromProperty(), // checked at the start (checkProperties)
                    out,
                    err);
            if (promoted != Llmh.OK) {
                return promoted;
            }
            out.println("bench: promoted " + latest + " to " + baseline + " (llmh.updateBaseline=true; no"
                    + " comparison). Commit it to make it the baseline of later runs.");
            return Llmh.OK;
        }
        if (!Files.isRegularFile(baseline)) {
            out.println("bench: no " + baseline + ": nothing to compare with. Create it with"
                    + " -Dllmh.updateBaseline=true and commit it.");
            if (runCode == Llmh.SLO_FAILED) {
                reportSloFailures(latest, err);
            }
            return runCode;
        }
        List<String> compare = new ArrayList<>(List.of("compare", "--format", "markdown", "-o", markdown.toString()));
        compare.addAll(compareOptions);
        compare.addAll(List.of(baseline.toString(), "--", latest.toString()));
        out.println("bench: llmh " + String.join(" ", compare));
        CommandLine compareLine = commandLine(factory, out, err);
        int compareCode = compareLine.execute(compare.toArray(String[]::new));
        ComparisonReport report =
                ((CompareCommand) compareLine.getSubcommands().get("compare").getCommand()).lastReport();
        // One HTML page with both runs overlaid and the comparison verdicts; llmh run has already
        // written the new run's own reports to results/latest/.
        execute(
                factory,
                out,
                err,
                "report",
                "-o",
                resultsDir.resolve("latest-vs-baseline").toString(),
                baseline.toString(),
                latest.toString());
        if (runCode == Llmh.SLO_FAILED) {
            reportSloFailures(latest, err);
            return runCode;
        }
        (compareCode == Llmh.OK ? out : err)
                .println("bench: " + GateVerdict.line(report, compareCode, "against " + baseline));
        return compareCode;
    }

    /**
     * Names every failed objective, one line each after a headline, so that a build log (and the
     * Maven plugin's error) says which trial missed which objective without opening the result.
     */
    static void reportSloFailures(Path latest, PrintStream err) {
        err.println("bench: FAILED: an SLO objective failed (llmh run exit code 1)");
        for (String failure : failedObjectives(ResultJson.read(latest))) {
            err.println("bench:   " + failure);
        }
    }

    /**
     * One line per failed objective: {@code <trial id>: <objective> (actual <value with its unit>)},
     * in the order of the result file. A trial the harness marked harness-limited says so on each of
     * its lines: its latencies include the harness's own delay, so the failure may be the machine's,
     * not the server's (the build still fails; the line says what to rerun).
     */
    public static List<String> failedObjectives(RunResult result) {
        List<String> lines = new ArrayList<>();
        for (TrialResult trial : result.trials()) {
            for (TrialResult.SloVerdict v : trial.slo()) {
                if (!v.passed()) {
                    lines.add(trial.id() + ": " + v.objective() + " (actual " + Analysis.sloActual(v)
                            + (trial.harnessLimited() ? HARNESS_LIMITED_NOTE : "") + ")");
                }
            }
        }
        return lines;
    }

    /** What a failed objective's line adds when its trial was harness-limited. */
    static final String HARNESS_LIMITED_NOTE = "; the trial was harness-limited: the harness, not the server, may"
            + " explain it; rerun on a quieter machine";

    private static int execute(CommandLine.IFactory factory, PrintStream out, PrintStream err, String... args) {
        return commandLine(factory, out, err).execute(args);
    }

    private static CommandLine commandLine(CommandLine.IFactory factory, PrintStream out, PrintStream err) {
        CommandLine cl = Llmh.commandLine(factory);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl;
    }
}
