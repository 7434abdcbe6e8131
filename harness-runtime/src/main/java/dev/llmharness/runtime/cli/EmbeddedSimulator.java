package dev.llmharness.runtime.cli;

import dev.llmharness.runtime.run.TargetResolver;
import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.sim.CpuSplit;
import dev.llmharness.runtime.sim.SimCommand;
import dev.llmharness.runtime.sim.SimProcess;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * The embedded simulator of a command run without a URL: in a JVM of its own, so that the load
 * generator and the server never share a JVM (or its GC pauses) while measuring, and on CPUs of its
 * own ({@link CpuSplit}), so that they do not share cores either.
 */
final class EmbeddedSimulator {
    private EmbeddedSimulator() {}

    /**
     * Starts it with {@code simOptions} ({@code llmh sim}'s options, blank for the default) and
     * applies {@code split}; stopping the target stops the simulator, then gives the harness its CPUs
     * back.
     *
     * @throws IllegalArgumentException naming the option when {@code simOptions} are not the
     *     simulator's
     */
    static TargetResolver.EmbeddedTarget start(String simOptions, AutoOff split, PrintStream err) {
        SimCommand options = new SimCommand();
        String text = simOptions == null ? "" : simOptions.strip();
        try {
            new CommandLine(options).parseArgs(text.isEmpty() ? new String[0] : text.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(
                    "invalid --sim options \"" + text + "\": " + e.getMessage() + "; `llmh sim --help` lists them");
        }
        SimProcess process = SimProcess.start(options.toConfig());
        err.println("llmh: no --url given: started the embedded simulator at " + process.baseUrl()
                + " in a separate JVM" + (text.isEmpty() ? "" : " (" + text + ")"));
        CpuSplit placed = CpuSplit.apply(split, process.pid(), err);
        return new TargetResolver.EmbeddedTarget(
                process.baseUrl(),
                () -> {
                    // The simulator first, so that the harness never gets its CPUs back while it runs.
                    try (placed) {
                        process.close();
                    }
                },
                placed.recorded());
    }
}
