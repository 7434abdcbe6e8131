package dev.llmharness.runtime.gate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Lets tests of other packages run {@link BenchGate#run} (package-private) as the bench profile does. */
public final class BenchGateAccess {
    private BenchGateAccess() {}

    public static int run(Path resultsDir, PrintStream out, PrintStream err) {
        return BenchGate.run(resultsDir, false, List.of(), out, err);
    }

    /** The same, with the factory that makes the {@code llmh} commands it runs (the test's trials). */
    public static int run(Path resultsDir, PrintStream out, PrintStream err, picocli.CommandLine.IFactory factory) {
        return BenchGate.run(resultsDir, false, List.of(), out, err, factory);
    }
}
