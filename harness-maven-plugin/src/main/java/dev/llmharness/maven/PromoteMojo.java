package dev.llmharness.maven;

import dev.llmharness.runtime.gate.BenchGate;
import dev.llmharness.runtime.result.ResultFitness;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code llmh:promote}: makes {@code latest.json} the new {@code baseline.json}, after a run whose
 * change was accepted. Refuses a result in which an SLO objective failed or that is partial (a run
 * that was interrupted), naming why; commit the baseline afterwards.
 */
@Mojo(name = "promote", threadSafe = true)
public final class PromoteMojo extends AbstractLlmhMojo {
    /** When promoting ({@code updateBaseline}, {@code llmh:promote}): promote even a harness-limited or failing result. Not set: false. */
    @Parameter(property = "llmh.forceBaseline")
    String forceBaseline;

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        if (!Files.isRegularFile(latest())) {
            throw new MojoFailureException("llmh:promote: no " + latest() + " to promote; run the benchmarks first"
                    + " (llmh:run or llmh:gate)");
        }
        RunResult result;
        try {
            result = ResultJson.read(latest());
        } catch (ResultFormatException e) {
            throw new MojoFailureException("llmh:promote: " + e.getMessage());
        }
        List<String> failed = BenchGate.failedObjectives(result);
        if (!failed.isEmpty()) {
            throw new MojoFailureException(
                    "llmh:promote: an SLO objective failed in " + latest() + "; it is not promoted:"
                            + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", failed));
        }
        if (result.partial()) {
            throw new MojoFailureException("llmh:promote: " + latest() + " is partial (the run was interrupted);"
                    + " run the benchmarks again before promoting");
        }
        // The rule of llmh promote and of the gate's promotion: a baseline describes the server, not a
        // harness-limited run or one whose requests failed beyond the bound.
        List<String> unfit = ResultFitness.problems(result);
        if (!unfit.isEmpty()) {
            if (!Boolean.parseBoolean(forceBaseline == null ? "false" : forceBaseline.strip())) {
                throw new MojoFailureException("llmh:promote: " + latest() + " is not promoted: a baseline must"
                        + " describe the server, not a limited or failing run:" + System.lineSeparator() + "  "
                        + String.join(System.lineSeparator() + "  ", unfit) + System.lineSeparator()
                        + "Re-run on a quieter machine, or promote anyway with -Dllmh.forceBaseline=true");
            }
            unfit.forEach(p -> getLog().warn("llmh:promote: promoted anyway (llmh.forceBaseline): " + p));
        }
        try {
            Files.copy(latest(), baseline(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "llmh:promote: cannot copy " + latest() + " to " + baseline() + ": " + e, e);
        }
        getLog().info("llmh: promoted " + latest() + " to " + baseline() + ". Commit it to make it the baseline of"
                + " later runs.");
    }
}
