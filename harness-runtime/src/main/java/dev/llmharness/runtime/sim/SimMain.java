package dev.llmharness.runtime.sim;

import picocli.CommandLine;

/**
 * Runs the simulator as its own process: {@code java -cp <classpath>
 * dev.llmharness.runtime.sim.SimMain [options]}, the options of {@link SimCommand}. Exits with 0
 * after a clean stop, 1 when the server cannot start, 2 for bad options.
 */
public final class SimMain {
    private SimMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimCommand()).execute(args));
    }
}
