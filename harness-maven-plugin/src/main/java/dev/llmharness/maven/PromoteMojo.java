package dev.llmharness.maven;

import dev.llmharness.runtime.gate.BenchGate;
import dev.llmharness.runtime.gate.ResultFiles;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFitness;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code llmh:promote}: makes the latest runs the new baseline, after a run whose change was
 * accepted: {@code latest.json} becomes {@code baseline.json}, {@code latest.run-<i>.json} (several
 * runs, {@code llmh.forks}) become {@code baseline.run-<i>.json}. Refuses a result in which an SLO
 * objective failed, that is partial (a run that was interrupted), harness-limited or failing beyond
 * the bound (unless {@code llmh.forceBaseline}), naming why; commit the baseline afterwards.
 */
@Mojo(name = "promote", threadSafe = true)
public final class PromoteMojo extends AbstractLlmhMojo {
    /** When promoting ({@code updateBaseline}, {@code llmh:promote}): promote even a harness-limited or failing result. Not set: false. */
    @Parameter(property = "llmh.forceBaseline")
    String forceBaseline;

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        // Read before anything is promoted, as the harness reads it: "yes" is refused, not false.
        boolean force;
        try {
            force = dev.llmharness.runtime.gate.BenchGate.FORCE.parse(forceBaseline);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("llmh: " + e.getMessage());
        }
        List<Path> latest = set("latest");
        if (latest.isEmpty()) {
            throw new MojoFailureException("llmh:promote: no " + latest() + " (or latest.run-<i>.json) to promote;"
                    + " run the benchmarks first (llmh:run or llmh:gate)");
        }
        List<String> unfit = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        for (Path file : latest) {
            RunResult result;
            try {
                result = ResultJson.read(file);
            } catch (ResultFormatException e) {
                throw new MojoFailureException("llmh:promote: " + e.getMessage());
            }
            runs.add(result);
            List<String> failed = BenchGate.failedObjectives(result);
            if (!failed.isEmpty()) {
                throw new MojoFailureException(
                        "llmh:promote: an SLO objective failed in " + file + "; it is not promoted:"
                                + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", failed));
            }
            if (result.partial()) {
                throw new MojoFailureException("llmh:promote: " + file + " is partial (the run was interrupted);"
                        + " run the benchmarks again before promoting");
            }
            // The rule of llmh promote and of the gate's promotion: a baseline describes the server, not
            // a harness-limited run or one whose requests failed beyond the bound.
            ResultFitness.problems(result)
                    .forEach(p -> unfit.add((latest.size() > 1 ? file.getFileName() + ": " : "") + p));
        }
        try {
            // The rule of llmh promote: runs a comparison would refuse as one side are no baseline.
            ResultChecks.requireReplicates(
                    runs, latest.stream().map(Path::toString).toList(), "promoted");
        } catch (ResultFormatException e) {
            throw new MojoFailureException("llmh:promote: " + e.getMessage());
        }
        if (!unfit.isEmpty()) {
            if (!force) {
                throw new MojoFailureException("llmh:promote: " + String.join(", ", names(latest)) + " is not promoted:"
                        + " a baseline must describe the server, not a limited or failing run:"
                        + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", unfit)
                        + System.lineSeparator() + "Re-run on a quieter machine, or promote anyway with"
                        + " -Dllmh.forceBaseline=true");
            }
            unfit.forEach(p -> getLog().warn("llmh:promote: promoted anyway (llmh.forceBaseline): " + p));
        }
        List<Path> written;
        try {
            // The whole set is replaced: a three-run baseline promoted over by one run leaves no stale
            // run file behind, and the reverse leaves no stale baseline.json.
            written = ResultFiles.replaceSet(latest, results(), "baseline");
        } catch (IOException e) {
            throw new MojoExecutionException("llmh:promote: cannot write the baseline in " + results() + ": " + e, e);
        }
        getLog().info("llmh: promoted " + String.join(", ", names(latest)) + " to " + String.join(", ", names(written))
                + ". Commit " + (written.size() > 1 ? "them" : "it") + " to make the baseline of later runs.");
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }
}
