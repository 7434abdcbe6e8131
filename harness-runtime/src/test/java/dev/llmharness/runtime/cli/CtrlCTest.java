package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real signals to a child JVM running {@code llmh run}: the result file is written, partial, and
 * requests in flight count as cancelled. With the embedded simulator the signal goes to the whole
 * process group, as a terminal's Ctrl-C does (the run and the simulator's JVM), so those tests
 * start the run in a session of its own ({@code setsid}) and signal that group.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class CtrlCTest {
    @TempDir
    Path dir;

    /**
     * A build started as a background job of a non-interactive shell ({@code mvn ... &}) inherits
     * SIGINT ignored, and so does every JVM it starts: a child could never see Ctrl-C, and each
     * test would wait out its timeouts (7 minutes) and fail for a reason that is not the harness's.
     * Fail at once instead, saying why: skipping would let such a build pass without testing Ctrl-C.
     */
    @BeforeAll
    static void sigintCanReachChildren() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return; // not Linux: nothing to read, the signal is assumed to be delivered
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(
                        line.substring("SigIgn:".length()).strip(), 16);
                boolean sigint = (ignored & (1L << (2 - 1))) != 0; // SIGINT is signal 2
                if (sigint) {
                    throw new IllegalStateException("this JVM inherited SIGINT ignored (the build runs as a"
                            + " background job of a non-interactive shell), so no child can receive Ctrl-C:"
                            + " run the build in the foreground");
                }
            }
        }
    }

    /** A run in its own process group, its output gathered as it comes. */
    private static final class GroupRun implements AutoCloseable {
        final Process process;
        final StringBuilder seen = new StringBuilder();
        private final java.util.concurrent.BlockingQueue<String> lines =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final Thread reader;

        GroupRun(Class<?> main, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    "setsid",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    main.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            reader = new Thread(() -> in.lines().forEach(l -> {
                synchronized (seen) {
                    seen.append(l).append('\n');
                }
                lines.add(l);
            }));
            reader.start();
        }

        /** Waits for a line containing {@code text}; fails the test with what was seen if none came. */
        String await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.contains(text)) {
                    return l;
                }
            }
            throw new AssertionError("no line with \"" + text + "\" in:\n" + output());
        }

        String output() {
            synchronized (seen) {
                return seen.toString();
            }
        }

        /** Sends {@code signal} to every process of the group, as a terminal does. */
        void signalGroup(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        int awaitExit() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(this::output).isTrue();
            reader.join(5000);
            return process.exitValue();
        }

        /** Whether any process of the group (the simulator's JVM) is still alive. */
        boolean groupAlive() throws Exception {
            Process ps = new ProcessBuilder("ps", "-o", "pid=", "-g", Long.toString(process.pid())).start();
            String pids = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            ps.waitFor(10, TimeUnit.SECONDS);
            return !pids.isEmpty();
        }

        void assertNoProcessLeft() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (groupAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(groupAlive())
                    .as("a process of the run's group is still alive")
                    .isFalse();
        }

        @Override
        public void close() throws Exception {
            if (groupAlive()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                        .start()
                        .waitFor(10, TimeUnit.SECONDS);
            }
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // setsid
    void ctrlCWithTheEmbeddedSimulatorCountsRequestsInFlightAsCancelled() throws Exception {
        Path out = dir.resolve("sim-interrupted.json");
        try (GroupRun run = new GroupRun(InterruptibleSimRunMain.class, out.toString())) {
            // A few progress lines into the measurement window, with requests in flight.
            for (int i = 0; i < 8; i++) {
                run.await("] measurement ");
            }
            run.signalGroup("INT");
            assertThat(run.awaitExit()).as(run::output).isEqualTo(Llmh.INTERRUPTED);
            RunResult r = ResultJson.read(out);
            assertThat(r.partial()).isTrue();
            var counts = r.trials().get(0).counts();
            assertThat(counts.failed()).as(run.output()).isZero();
            assertThat(counts.cancelled()).as(run.output()).isPositive();
            assertThat(counts.completed() + counts.cancelled()).isEqualTo(counts.sent());
            assertThat(run.output()).doesNotContain("Exception").doesNotContain("\tat ");
            run.assertNoProcessLeft();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // setsid
    void sigtermWithTheEmbeddedSimulatorAlsoWritesThePartialResult() throws Exception {
        Path out = dir.resolve("sim-terminated.json");
        try (GroupRun run = new GroupRun(InterruptibleSimRunMain.class, out.toString())) {
            for (int i = 0; i < 4; i++) {
                run.await("] measurement ");
            }
            run.signalGroup("TERM");
            assertThat(run.awaitExit()).as(run::output).isEqualTo(Llmh.TERMINATED);
            var counts = ResultJson.read(out).trials().get(0).counts();
            assertThat(counts.failed()).as(run.output()).isZero();
            run.assertNoProcessLeft();
        }
    }

    /**
     * Ctrl-C while the simulator starts, is probed or warms up: one line saying nothing was
     * measured, no file, no stack trace, no blame on the server, no process left.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 300, 700, 1200, 2500})
    @EnabledOnOs(OS.LINUX) // setsid
    void ctrlCBeforeAnythingWasMeasuredIsOneLine(int delayMillis) throws Exception {
        Path out = dir.resolve("early.json");
        try (GroupRun run = new GroupRun(InterruptibleSimRunMain.class, out.toString())) {
            run.await(InterruptibleSimRunMain.STARTING);
            Thread.sleep(delayMillis);
            run.signalGroup("INT");
            assertThat(run.awaitExit()).as(run::output).isEqualTo(Llmh.INTERRUPTED);
            String output = run.output();
            assertThat(output)
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("Command:")
                    .doesNotContain("reset")
                    .doesNotContain("failed");
            if (output.contains("llmh: interrupted")) {
                assertThat(output)
                        .contains("llmh: interrupted before any request was measured: no result file written");
                assertThat(out).doesNotExist();
            }
            // Whatever the run announced before the signal, the interruption is one line, and the last.
            List<String> said = output.lines().filter(l -> l.startsWith("llmh")).toList();
            int first = 0;
            while (first < said.size() && !said.get(first).contains("interrupted")) {
                first++;
            }
            assertThat(said.subList(Math.min(first, said.size()), said.size()))
                    .as(output)
                    .hasSizeLessThanOrEqualTo(1);
            run.assertNoProcessLeft();
        }
    }

    /**
     * Ctrl-C during a sweep's second point keeps the first: the JVM halted as soon as the shutdown
     * hook returned, before the points were written, and the measured point was lost.
     */
    @Test
    @EnabledOnOs(OS.LINUX) // setsid
    void ctrlCDuringASweepKeepsThePointsMeasured() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(20, 20, "a", "b", "c")))) {
            Path out = dir.resolve("sweep-interrupted.json");
            try (GroupRun run = new GroupRun(InterruptibleSweepMain.class, server.baseUrl(), out.toString())) {
                run.await("5 req/s"); // the first point's line: it is measured, the second starts
                run.signalGroup("INT");
                assertThat(run.awaitExit()).as(run::output).isEqualTo(Llmh.INTERRUPTED);
                RunResult r = ResultJson.read(out);
                assertThat(r.partial()).isTrue();
                assertThat(r.trials().get(0).id()).isEqualTo("com.example.Chat.sweep{rate=5}");
                assertThat(r.trials().get(0).counts().completed())
                        .as(run.output())
                        .isPositive();
                assertThat(run.output())
                        .contains("PARTIAL (interrupted): the ")
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
            }
        }
    }

    @Test
    void ctrlCWritesWhatWasGatheredMarkedPartial() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(20, 20, "a", "b", "c")))) {
            Path out = dir.resolve("interrupted.json");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            InterruptibleRunMain.class.getName(),
                            server.baseUrl(),
                            out.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder seen = new StringBuilder();
                String line;
                int progressLines = 0;
                while (progressLines < 5 && (line = lines.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.contains("in flight")) {
                        progressLines++;
                    }
                }
                assertThat(progressLines).as(seen.toString()).isEqualTo(5);
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Thread drain = new Thread(
                        () -> lines.lines().forEach(l -> seen.append(l).append('\n')));
                drain.start();
                assertThat(child.waitFor(60, TimeUnit.SECONDS))
                        .as(seen.toString())
                        .isTrue();
                drain.join(5000);
                RunResult r = ResultJson.read(out);
                assertThat(r.partial()).isTrue();
                assertThat(r.trials()).hasSize(1);
                assertThat(r.trials().get(0).counts().completed()).isPositive();
                assertThat(r.trials().get(0).warnings()).anyMatch(w -> w.startsWith("interrupted"));
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
