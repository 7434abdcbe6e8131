package dev.llmharness.maven;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.gate.Promotion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code llmh:promote}: makes the latest runs the new baseline, after a run whose change was
 * accepted: {@code latest.json} becomes {@code baseline.json}, {@code latest.run-<i>.json} (several
 * runs, {@code llmh.forks}) become {@code baseline.run-<i>.json}. Refuses, unless {@code
 * llmh.forceBaseline}, what {@code llmh promote} refuses (partial, harness-limited, failing beyond
 * the bound, or an SLO objective failed; {@link Promotion}), naming why; commit the baseline
 * afterwards.
 */
@Mojo(name = "promote", threadSafe = true)
public final class PromoteMojo extends AbstractLlmhMojo {
    /** When promoting ({@code updateBaseline}, {@code llmh:promote}): promote even a harness-limited or failing result, or one whose SLO objective failed. Not set: false. */
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
        // Everything is llmh promote's rule, in its one place: the files read and checked as one
        // side of a comparison, a partial, harness-limited or failing run, or one whose objectives
        // failed, refused unless forced, the whole set replaced.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Promotion.promote(
                latest,
                results(),
                "baseline",
                force,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> said = err.toString(StandardCharsets.UTF_8).lines().toList();
        if (code == Llmh.OK) {
            said.forEach(line -> getLog().warn(line)); // the problems of a forced promotion
            out.toString(StandardCharsets.UTF_8).lines().forEach(line -> getLog().info(line));
            getLog().info("llmh: promoted " + String.join(", ", names(latest)) + ". Commit the baseline to make it"
                    + " the baseline of later runs.");
            return;
        }
        String message = "llmh:promote: " + String.join(", ", names(latest)) + " is not promoted:"
                + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", said);
        if (code == Llmh.RUN_ERROR) {
            throw new MojoExecutionException(message);
        }
        throw new MojoFailureException(message);
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(Path::toString).toList();
    }
}
