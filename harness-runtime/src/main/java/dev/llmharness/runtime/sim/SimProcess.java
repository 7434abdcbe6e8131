package dev.llmharness.runtime.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulator in a child JVM, so that its CPU use does not disturb the harness being measured:
 * {@code java -cp <this JVM's class path> dev.llmharness.runtime.sim.SimMain <options>}. The child
 * stops when {@link #close()} is called and when this JVM exits in any way, a kill included: it
 * watches its standard input, a pipe from this process that the operating system closes then.
 *
 * <p>The child ignores Ctrl-C and SIGTERM (a terminal sends them to the whole process group), and
 * no shutdown hook of this JVM kills it: on Ctrl-C the owner (a run) first cancels its requests in
 * flight against a server that still answers, then stops the child, so that an interruption
 * counts them as cancelled rather than as failures.
 */
public final class SimProcess implements AutoCloseable {
    /** How long {@link #start} waits for the child's listening line. */
    public static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final String baseUrl;

    private SimProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * The child's JVM options when none are given, for the default ground-truth capacity ({@link
     * #jvmOptionsFor}): a fixed heap ({@code -Xms} = {@code -Xmx}) touched at start-up, and no
     * performance-data file, whose sampling wakes a JVM thread on the simulator's core.
     *
     * <p>Why fixed: with only {@code -Xms512m}, G1 grew the heap to 1 GiB in the middle of a trial
     * and, with {@code -XX:+AlwaysPreTouch}, touched the new half inside that young pause: the
     * simulator stopped for 1.3 s (GC log: "Post Evacuate Collection Set: 1306.5ms", 50M->31M
     * (1004M)), every stream in flight gained a 1.3 s token gap, and the {@code -Pbench}
     * completions trial's TTFT p99 read 1.4-1.9 s in five runs of six. A heap that cannot grow
     * takes every page fault before the first request.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = fixedHeap(512);

    /** Heap per ground-truth record kept, with room to spare: a 128-token record is about 1 KiB. */
    private static final long BYTES_PER_RECORD = 2048;

    /** Heap besides the ground-truth log: the engine, connections, buffers, prompts. */
    private static final long BASE_HEAP_MIB = 256;

    /**
     * The child's JVM options for a simulator keeping {@code groundTruthCapacity} ground-truth
     * records: {@link #DEFAULT_JVM_OPTIONS}, with a larger fixed heap when the log needs more
     * ({@value #BASE_HEAP_MIB} MiB plus 2 KiB per record, at least 512 MiB).
     *
     * @param groundTruthCapacity records kept, {@code >= 0} ({@link SimConfig#groundTruthCapacity})
     */
    public static List<String> jvmOptionsFor(int groundTruthCapacity) {
        long recordMib = ((long) groundTruthCapacity * BYTES_PER_RECORD + (1 << 20) - 1) >> 20;
        long mib = Math.max(512, BASE_HEAP_MIB + recordMib);
        return mib == 512 ? DEFAULT_JVM_OPTIONS : fixedHeap(mib);
    }

    /** The options of a heap of {@code mib} MiB that cannot grow, touched at start-up. */
    private static List<String> fixedHeap(long mib) {
        return List.of("-Xms" + mib + "m", "-Xmx" + mib + "m", "-XX:+AlwaysPreTouch", "-XX:-UsePerfData");
    }

    /** Starts a child with {@link #jvmOptionsFor} its configuration's ground-truth capacity. */
    public static SimProcess start(SimConfig config) {
        return start(config, jvmOptionsFor(config.groundTruthCapacity()));
    }

    /**
     * Starts a child JVM running {@link SimMain} with {@code config} and waits until it listens.
     *
     * @param jvmOptions options placed before the class name, e.g. {@code -Xmx512m}
     * @throws SimException when the child cannot start or exits before listening
     */
    public static SimProcess start(SimConfig config, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SimMain.class.getName());
        command.addAll(SimCommand.arguments(config));
        command.add("--exit-on-stdin-eof");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new SimException("could not start the simulator process " + command.get(0) + ": " + e, e);
        }
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try {
                        first.complete(out.readLine());
                        // Keep draining so the child never blocks on a full pipe.
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException e) {
                        first.complete(null);
                    }
                },
                "llmh-sim-process-stdout");
        reader.setDaemon(true);
        reader.start();
        String line;
        try {
            line = first.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        }
        SimProcess sim = new SimProcess(
                process,
                line == null ? null : line.substring(Math.min(line.length(), SimCommand.LISTENING_PREFIX.length())));
        if (line == null || !line.startsWith(SimCommand.LISTENING_PREFIX)) {
            sim.close();
            int exitCode = process.isAlive() ? -1 : process.exitValue();
            String exit = exitCode < 0 ? "still running" : "exit code " + exitCode;
            throw new SimException(
                    "the simulator process did not report its address (" + exit
                            + (line == null ? "" : ", first line: " + line)
                            + "); its standard error above says why. Command: "
                            + String.join(" ", command).replace(System.getProperty("java.class.path"), "<class path>"),
                    exitCode);
        }
        return sim;
    }

    /** {@code http://HOST:PORT} of the child's server. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the child: closes its standard input (it shuts down cleanly), waits up to 5 s, then
     * kills it. Idempotent.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the child sees EOF either way
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
