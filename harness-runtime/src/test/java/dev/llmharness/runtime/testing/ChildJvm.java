package dev.llmharness.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a child JVM, for what a JVM decides once at start
 * (command-line flags, system properties read by static initialisers).
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code mainClass} with {@code jvmOptions} and returns what it printed (standard output
     * and error together, stripped). Fails when the child runs longer than a minute.
     */
    public static String run(Class<?> mainClass, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM " + mainClass.getName() + " still running after 60 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            p.destroyForcibly();
        }
    }
}
