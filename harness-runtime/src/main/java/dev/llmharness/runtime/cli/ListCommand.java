package dev.llmharness.runtime.cli;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.run.PlannedTrial;
import dev.llmharness.runtime.run.TrialOverrides;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh list}: the trials on the class path that {@code --include} selects, as {@code llmh
 * run} with the same options would run them. It takes {@code run}'s overrides ({@code
 * --rate-scale}, {@code --duration-scale}, {@code --duration}, {@code --warmup}, {@code --seed}:
 * {@link OverrideOptions}) and applies them through the same {@link TrialOverrides#apply}, so that
 * each line shows the load, warmup and window that will run, the warnings are {@code run}'s, and
 * what {@code run} refuses before any load it refuses too, in the same line (exit code 2).
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the benchmark trials on the class path, as llmh run with the same options would run them.")
public final class ListCommand implements Callable<Integer> {
    @Option(
            names = "--include",
            defaultValue = "${sys:llmh.include:-.*}",
            description = "Regex a trial id must contain (llmh.include). Default: all.")
    String include;

    @CommandLine.Mixin
    OverrideOptions overrides = new OverrideOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Supplier<List<BenchmarkSuite>> suites;

    public ListCommand() {
        this(SuiteSelection::discover);
    }

    /** @param suites where suites come from (tests give their own) */
    public ListCommand(Supplier<List<BenchmarkSuite>> suites) {
        this.suites = suites;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TrialOverrides changes = overrides.toOverrides(spec); // a bad value before anything is listed
        List<PlannedTrial> trials = SuiteSelection.select(suites.get(), include);
        if (trials.isEmpty()) {
            // As llmh run: selecting nothing is a usage error, so that a script notices a wrong regex.
            PrintWriter err = spec.commandLine().getErr();
            err.println("llmh list: no trial matches --include \"" + include + "\" (benchmark classes are found"
                    + " through META-INF/services/dev.llmharness.api.spi.BenchmarkSuite on the class path)");
            err.flush();
            return Llmh.USAGE;
        }
        // Every trial as it will run before any line, as llmh run checks them all before any load:
        // an option that run refuses for one trial is the same one line here, and no partial list.
        List<TrialSpec> asRun = new java.util.ArrayList<>();
        for (PlannedTrial p : trials) {
            asRun.add(changes.apply(p.declared()));
        }
        PrintWriter err = spec.commandLine().getErr();
        for (TrialSpec t : asRun) {
            for (String warning : changes.warnings(t)) {
                err.println("llmh list: WARNING " + warning);
            }
        }
        err.flush();
        for (TrialSpec t : asRun) {
            out.println(t.id() + "  " + load(t) + "  warmup " + phase(t.warmup()) + ", measure " + window(t));
        }
        out.println(trials.size() + " trial(s)");
        return Llmh.OK;
    }

    private static String load(TrialSpec t) {
        return t.load().describe();
    }

    /**
     * What the trial will measure, for every kind of load: a counted window its count; a load that
     * ends by itself (a rate shape, stages of workers) its length after a timed warmup, whatever
     * the declared window; a trace the same, its length read from its file (to its last request);
     * any other load its window. A warmup as long as a trace measures nothing, and says so (the
     * run finds it once it reads the file; a shape's is refused by {@link TrialOverrides#apply}).
     *
     * @param t the trial as it will run
     */
    private static String window(TrialSpec t) {
        if (t.measurement().countsRequests()) {
            return phase(t.measurement());
        }
        Optional<String> trace = t.load().tracePath();
        Optional<Duration> length =
                trace.isPresent() ? replayLength(t, trace.get()) : t.load().length();
        if (length.isEmpty()) {
            return trace.isPresent()
                    ? "to its last request (its trace file cannot be read now; llmh run says why)"
                    : phase(t.measurement());
        }
        Duration warm = t.warmup().countsRequests() || t.warmup().isEmpty()
                ? Duration.ZERO
                : t.warmup().duration();
        String whole = trace.isPresent() ? "trace" : "load";
        Duration measured = length.get().minus(warm);
        if (!warm.isZero() && (measured.isNegative() || measured.isZero())) {
            return "nothing: the " + DurationText.format(warm) + " warmup is as long as the whole " + whole + " ("
                    + DurationText.format(length.get()) + "); llmh run refuses it";
        }
        return DurationText.format(measured)
                + (trace.isPresent()
                        ? " (to its last request, of the trace's " + DurationText.format(length.get()) + ")"
                        : " (to its end)");
    }

    /** A trace's replay length, read from its file; empty when the file cannot be read now. */
    private static Optional<Duration> replayLength(TrialSpec t, String path) {
        try {
            long span = dev.llmharness.runtime.data.TraceReader.read(path).spanNanos();
            return Optional.of(dev.llmharness.runtime.run.RunEngine.replayLength(t.load(), span));
        } catch (RuntimeException e) {
            return Optional.empty(); // a missing or malformed trace: llmh run names the problem
        }
    }

    private static String phase(Phase p) {
        if (p.isEmpty()) {
            return "none";
        }
        return p.countsRequests() ? p.requests() + " requests" : DurationText.format(p.duration());
    }
}
