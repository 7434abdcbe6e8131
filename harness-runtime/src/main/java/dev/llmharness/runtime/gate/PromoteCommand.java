package dev.llmharness.runtime.gate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmh promote RESULT... [--baseline results/baseline.json] [--force]}: makes results the
 * baseline, refusing a harness-limited, failing or partial one unless forced. Several files are the
 * runs of one side and become {@code baseline.run-<i>.json}. Exit codes: 0 promoted, 1 refused, 2 a
 * file cannot be read, 3 a file cannot be written.
 */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        description = {
            "Makes result files the baseline (several files: the runs of one side).",
            "Refuses a result the harness marked harness-limited, failing beyond 5 %% or partial, or one whose SLO"
                    + " objective failed, unless --force."
        })
public final class PromoteCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULT", description = "Result files, one per run.")
    List<Path> results = new ArrayList<>();

    @Option(
            names = "--baseline",
            paramLabel = "FILE",
            defaultValue = "results/baseline.json",
            description = "The baseline to replace (default ${DEFAULT-VALUE}); several runs become"
                    + " <name>.run-<i>.json beside it.")
    Path baseline;

    @Option(
            names = "--force",
            description =
                    "Promote even a harness-limited, failing or partial result, or one whose SLO objective failed.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = baseline.toAbsolutePath().getParent();
        String file = baseline.getFileName().toString();
        String name = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
        java.io.ByteArrayOutputStream outBytes = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        int code = Promotion.promote(
                results, dir, name, force, new PrintStream(outBytes, true), new PrintStream(errBytes, true));
        spec.commandLine().getOut().print(outBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().print(errBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        spec.commandLine().getErr().flush();
        return code;
    }
}
