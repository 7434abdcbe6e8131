package dev.llmharness.runtime.result;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.cli.OptionText;
import dev.llmharness.runtime.settings.Choice;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code llmh merge}: merges result files of the same trials into one file.
 *
 * <p>Exit codes: {@code 0} merged, {@code 2} bad usage or an input that cannot be read or merged
 * (the message names the file).
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = {
            "Merges result files of the same trials: shards of one run (rates add, timelines sum by second)",
            "or repeated runs (totals over the summed window time). Histograms add exactly; summaries and SLO",
            "verdicts are recomputed from the merged data."
        },
        exitCodeOnInvalidInput = Llmh.USAGE,
        exitCodeOnExecutionException = Llmh.USAGE)
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Result files to merge.")
    List<Path> inputs = new ArrayList<>();

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "Where to write the merged result.")
    Path output;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "shards",
            description = "shards (concurrent over one window, the default) or runs (one after another).")
    String modeText;

    /** {@code --mode}: {@code shards} or {@code runs}, read as every option with a fixed set of values. */
    public static final Choice<ResultMerger.Mode> MODE = Choice.ofEnum(
            null, "--mode", ResultMerger.Mode.values(), ResultMerger.Mode::json, ResultMerger.Mode.SHARDS);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ResultMerger.Mode mode = OptionText.choice(spec, MODE, modeText);
        List<RunResult> results = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try {
            OutputPaths.requireWritable(output, "-o " + output);
            OutputPaths.requireNotAnInput(output, "-o " + output, inputs);
            for (Path input : inputs) {
                results.add(ResultJson.read(input));
                sources.add(input.toString());
            }
            // Files given twice (or a copy) are refused here, where files are read, as compare does.
            ResultChecks.requireDistinctRuns(
                    results, sources, ": give each file once; merging a run with itself counts its requests twice");
            RunResult merged = ResultMerger.merge(results, sources, mode);
            ResultJson.write(merged, output);
            PrintWriter out = spec.commandLine().getOut();
            out.println("merged " + inputs.size() + " file(s) as " + mode.json() + " into " + output + " ("
                    + merged.trials().size() + " trial(s))");
            for (String difference : merged.merge().differences()) {
                out.println("note: inputs differ in " + difference);
            }
            out.flush();
            return Llmh.OK;
        } catch (ResultFormatException | MergeException | UncheckedIOException | IllegalArgumentException e) {
            err.println("llmh merge: " + e.getMessage());
            err.flush();
            return Llmh.USAGE;
        }
    }
}
