package dev.llmharness.runtime.cli;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.run.PlannedTrial;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmh list}: the trials on the class path that {@code --include} selects. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the benchmark trials on the class path.")
public final class ListCommand implements Callable<Integer> {
    @Option(
            names = "--include",
            defaultValue = "${sys:llmh.include:-.*}",
            description = "Regex a trial id must contain (llmh.include). Default: all.")
    String include;

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
        List<PlannedTrial> trials = SuiteSelection.select(suites.get(), include);
        if (trials.isEmpty()) {
            // As llmh run: selecting nothing is a usage error, so that a script notices a wrong regex.
            PrintWriter err = spec.commandLine().getErr();
            err.println("llmh list: no trial matches --include \"" + include + "\" (benchmark classes are found"
                    + " through META-INF/services/dev.llmharness.api.spi.BenchmarkSuite on the class path)");
            err.flush();
            return Llmh.USAGE;
        }
        for (PlannedTrial p : trials) {
            TrialSpec t = p.declared();
            out.println(t.id() + "  " + load(t) + "  warmup " + phase(t.warmup()) + ", measure " + window(t));
        }
        out.println(trials.size() + " trial(s)");
        return Llmh.OK;
    }

    private static String load(TrialSpec t) {
        return t.load().describe();
    }

    /**
     * The window as the trial runs it: a load that ends by itself is measured to its end, whatever
     * the declared window (which would otherwise read as the measured length), a trace to its last
     * request.
     */
    private static String window(TrialSpec t) {
        if (t.measurement().countsRequests()) {
            return phase(t.measurement());
        }
        if (t.load().windowEndsWithLastRequest()) {
            return "to its last request";
        }
        if (t.load().length().isEmpty()) {
            return phase(t.measurement());
        }
        try {
            return phase(dev.llmharness.runtime.run.TrialOverrides.shapedWindow(t.load(), t.warmup(), t.measurement()))
                    + " (to its end)";
        } catch (IllegalArgumentException e) {
            return phase(t.measurement()); // a warmup as long as the load: llmh run says why
        }
    }

    private static String phase(Phase p) {
        if (p.isEmpty()) {
            return "none";
        }
        return p.countsRequests() ? p.requests() + " requests" : DurationText.format(p.duration());
    }
}
