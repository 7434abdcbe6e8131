package dev.llmharness.runtime.gate;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFitness;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes results the baseline: checks each with {@link ResultFitness} and refuses, unless forced, a
 * result the harness marked as harness-limited, failing beyond the bound or partial, or one in
 * which an SLO objective failed (a run whose change was not accepted is no reference either); then
 * replaces the whole baseline set (one file, or one per run) so no stale run file stays behind. The
 * one rule for {@code llmh promote}, {@code llmh gate --update-baseline}, the bench profile's
 * {@code -Dllmh.updateBaseline=true} and {@code llmh:promote}: each refuses the same results, and
 * {@code --force} ({@code -Dllmh.forceBaseline=true}) overrides each of them alike.
 */
public final class Promotion {
    private Promotion() {}

    /**
     * @param results the result files to promote, one per run
     * @param dir the baseline's directory
     * @param name the baseline set's name, e.g. {@code "baseline"}
     * @param force promote even an unfit result (its problems are still printed)
     * @return {@link Llmh#OK}, {@link Llmh#SLO_FAILED} when refused, {@link Llmh#RUN_ERROR} when a
     *     file cannot be written, {@link Llmh#USAGE} when a file cannot be read
     */
    public static int promote(
            List<Path> results, Path dir, String name, boolean force, PrintStream out, PrintStream err) {
        List<RunResult> runs = new ArrayList<>();
        try {
            // The baseline's path first: a folder in its place is a typo, not a set to replace.
            Path first = ResultFiles.of(dir, name, 1, results.size());
            OutputPaths.requireWritable(first, "--baseline " + first);
            for (Path p : results) {
                RunResult run = ResultJson.read(p);
                ResultChecks.requireTrials(run, p.toString(), "promote");
                runs.add(run);
            }
            // The runs a comparison would refuse as one side are no baseline either.
            ResultChecks.requireReplicates(
                    runs, results.stream().map(Path::toString).toList(), "promoted");
        } catch (RuntimeException e) {
            err.println("llmh promote: " + e.getMessage());
            return Llmh.USAGE;
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (String problem : ResultFitness.problems(runs.get(i))) {
                problems.add(results.get(i) + ": " + problem);
            }
            for (String failure : BenchGate.failedObjectives(runs.get(i))) {
                problems.add(results.get(i) + ": an SLO objective failed: " + failure);
            }
        }
        if (!problems.isEmpty()) {
            for (String problem : problems) {
                err.println((force ? "llmh promote: warning: " : "llmh promote: ") + problem);
            }
            if (!force) {
                err.println("llmh promote: not promoted: a baseline must describe the server, not a limited or"
                        + " failing run. Re-run on a quieter machine (or with fewer trials at once), fix what"
                        + " failed its objectives, or promote anyway with --force (-Dllmh.forceBaseline=true in"
                        + " the bench profile)");
                return Llmh.SLO_FAILED;
            }
        }
        try {
            List<Path> written = ResultFiles.replaceSet(results, dir, name);
            for (int i = 0; i < written.size(); i++) {
                out.println("llmh promote: " + results.get(i) + " -> " + written.get(i));
            }
        } catch (IOException e) {
            err.println("llmh promote: cannot write the baseline in " + dir + ": " + e);
            return Llmh.RUN_ERROR;
        }
        return Llmh.OK;
    }
}
