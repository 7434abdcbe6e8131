package dev.llmharness.runtime.cli;

import dev.llmharness.runtime.run.TargetResolver;
import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.sim.CpuSplit;
import dev.llmharness.runtime.sim.SimCommand;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimProcess;
import java.io.PrintStream;

/**
 * The embedded simulator of a command run without a URL: in a JVM of its own, so that the load
 * generator and the server never share a JVM (or its GC pauses) while measuring, and on CPUs of its
 * own ({@link CpuSplit}), so that they do not share cores either.
 */
final class EmbeddedSimulator {
    private EmbeddedSimulator() {}

    /**
     * The configuration {@code simOptions} ({@code --sim}) describe, read without starting anything:
     * the commands call it before any load, so that a bad value is one line then, not when (or
     * whether) the simulator starts.
     *
     * @throws IllegalArgumentException naming {@code --sim}, the options and what is wrong
     */
    static SimConfig check(String simOptions) {
        return SimCommand.fromOptions("--sim", simOptions);
    }

    /**
     * Starts it with {@code simOptions} ({@code llmh sim}'s options, blank for the default) and
     * applies {@code split}; stopping the target stops the simulator, then gives the harness its CPUs
     * back.
     *
     * @throws IllegalArgumentException naming the option when {@code simOptions} are not the
     *     simulator's, or a value is outside its bound ({@link SimCommand#fromOptions})
     */
    static TargetResolver.EmbeddedTarget start(String simOptions, AutoOff split, PrintStream err) {
        String text = simOptions == null ? "" : simOptions.strip();
        SimProcess process = SimProcess.start(check(text));
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
