package dev.llmharness.maven;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * A child JVM whose output is streamed into the build log line by line as it comes (a benchmark
 * prints progress for minutes; buffering it would hide a stalled run). The lines in which the
 * harness explains a failure are kept for the Maven error message. The child and everything it
 * started (the simulator) are destroyed when Maven is interrupted, so a cancelled build leaves no
 * process behind.
 */
final class ForkedJvm {
    private ForkedJvm() {}

    /**
     * How the child ended.
     *
     * @param exitCode the child's exit code
     * @param failureLines the lines of standard error in which the harness names a failure, in
     *     order: those starting with {@code llmh} or {@code bench:} (the gate's and the commands'
     *     prefixes); when there is none, the first line of standard error (an option parser's
     *     message)
     */
    record Outcome(int exitCode, List<String> failureLines) {
        /**
         * The lines that explain this exit code: for 1 (a failed objective or a gated regression)
         * the gate's and compare's verdict lines only, not the run's start-up notes (all lines when
         * there is no verdict line: a child that was not the harness); else all.
         */
        List<String> explanation() {
            if (exitCode != 1) {
                return failureLines;
            }
            List<String> verdicts = failureLines.stream()
                    .filter(l -> l.startsWith("bench:") || l.startsWith("llmh compare:") || l.startsWith("llmh gate:"))
                    .toList();
            return verdicts.isEmpty() ? failureLines : verdicts;
        }
    }

    /** Splits JVM options on whitespace; blank gives none. */
    static List<String> splitOptions(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.strip().split("\\s+"));
    }

    /** Whether a line of standard error explains a failure and belongs in the Maven error. */
    static boolean isFailureLine(String line) {
        return line.startsWith("llmh") || line.startsWith("bench: FAILED") || line.startsWith("bench:   ");
    }

    static Outcome run(List<String> command, Path workingDirectory, Log log) throws MojoExecutionException {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .start();
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "cannot start " + command.get(0) + ": " + e.getMessage() + "; set llmh.javaHome to a JDK", e);
        }
        Thread killer = new Thread(() -> destroyTree(process), "llmh-fork-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        String[] firstError = new String[1];
        Thread out = pump(process.getInputStream(), log::info, "llmh-fork-out");
        Thread err = pump(
                process.getErrorStream(),
                line -> {
                    log.info(line);
                    if (firstError[0] == null && !line.isBlank()) {
                        firstError[0] = line;
                    }
                    if (isFailureLine(line)) {
                        failures.add(line);
                    }
                },
                "llmh-fork-err");
        try {
            int code = process.waitFor();
            out.join();
            err.join();
            if (failures.isEmpty() && firstError[0] != null) {
                failures.add(firstError[0]);
            }
            return new Outcome(code, List.copyOf(failures));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process);
            throw new MojoExecutionException("interrupted while the benchmarks ran; the forked JVM was stopped", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // Maven is shutting down: the hook is running and stops the child.
            }
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    private static Thread pump(InputStream in, Consumer<String> sink, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        sink.accept("llmh: lost the forked JVM's output: " + e.getMessage());
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
