package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.sim.CpuSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code llmh run --cpu-split} end to end: the embedded simulator really started (its own JVM), its
 * threads' allowed CPUs read from {@code /proc} while the run measures, the value the result file
 * records, this JVM's CPUs given back after the run, and {@code llmh compare} naming the difference.
 */
class CpuSplitRunTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearProperties() {
        System.clearProperty(CpuSplit.PROPERTY);
    }

    /** Two seconds at 20 requests/s: long enough to read the simulator's CPUs while it serves. */
    private static TrialSpec trial() {
        TrialSpec t = LlmhTest.trial("a", 20, SloSpec.NONE);
        return new TrialSpec(
                t.benchmark(),
                t.params(),
                t.load(),
                Phase.ofRequests(5),
                Phase.ofDuration(Duration.ofSeconds(2)),
                t.drainTimeout(),
                t.workload(),
                t.endpoint(),
                t.slo(),
                t.seed());
    }

    private int llmh(String... args) {
        var suite = LlmhTest.suite(List.of(trial()));
        CommandLine cl = Llmh.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == RunCommand.class
                        ? cls.cast(new RunCommand(() -> List.of(suite)))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** Runs {@code llmh} while watching this JVM's simulator child: the CPU lists its threads had, in order. */
    private List<List<Integer>> runWatchingTheSimulator(String... args) throws Exception {
        List<List<Integer>> seen = new ArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ProcessHandle.current()
                        .children()
                        .filter(p -> commandLine(p.pid()).contains("SimMain"))
                        .forEach(p -> {
                            List<Integer> cpus = sameForEveryThread(p.pid());
                            if (cpus != null
                                    && (seen.isEmpty()
                                            || !seen.get(seen.size() - 1).equals(cpus))) {
                                synchronized (seen) {
                                    seen.add(cpus);
                                }
                            }
                        });
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            assertThat(llmh(args)).as(err + "\n" + out).isEqualTo(Llmh.OK);
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** {@code /proc/PID/cmdline}, whole (ProcessHandle.Info may leave out a long one). */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The allowed CPUs of every thread of a process when they agree, else {@code null}. */
    private static List<Integer> sameForEveryThread(long pid) {
        List<List<Integer>> lists = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                lists.add(CpuSplit.allowedCpus(task.resolve("status")));
            }
        } catch (IOException | RuntimeException e) {
            return null; // the process or a thread ended meanwhile
        }
        return lists.stream().distinct().count() == 1 ? lists.get(0) : null;
    }

    @Test
    void theEmbeddedSimulatorRunsOnItsOwnCpusAndTheResultSaysSo() throws Exception {
        List<Integer> allowed = CpuSplit.allowedCpus(Path.of("/proc/self/status"));
        CpuSplit.Plan plan = CpuSplit.plan(allowed);
        Path auto = dir.resolve("auto.json");
        List<List<Integer>> seen = runWatchingTheSimulator(
                "run",
                "--cpu-split",
                "auto",
                "--output",
                auto.toString(),
                "--progress",
                "0s",
                "--no-report",
                // A test JVM at idle priority on a busy build machine can starve its simulator: this
                // test is about where it ran, not how fast.
                "--max-error-rate",
                "none",
                "--scrape",
                "none");
        RunResult a = ResultJson.read(auto);
        assertThat(a.trials().get(0).counts().sent()).isGreaterThan(20);
        if (plan == null || CpuSplit.taskset() == null) {
            // A one-CPU cpuset or no taskset: one line, and both share.
            assertThat(a.run().cpuSplit()).isEqualTo("unavailable");
            assertThat(err.toString()).contains("llmh: --cpu-split auto: ");
            return;
        }
        String recorded = plan.recorded();
        assertThat(a.run().cpuSplit()).isEqualTo(recorded);
        assertThat(Files.readString(auto)).contains("\"cpuSplit\" : \"" + recorded + "\"");
        assertThat(err.toString()).contains("llmh: the harness runs on CPU ");
        // While it served, every thread of the simulator was on the simulator's CPUs.
        assertThat(seen).as("CPU lists seen").isNotEmpty();
        assertThat(seen.get(seen.size() - 1)).as("CPU lists seen: " + seen).isEqualTo(plan.simulator());
        // And the run gave this JVM its CPUs back.
        assertThat(CpuSplit.allowedCpus(Path.of("/proc/self/status"))).isEqualTo(allowed);

        // Off, through the property as the Maven plugin passes it: the simulator has every CPU.
        System.setProperty(CpuSplit.PROPERTY, "off");
        err.getBuffer().setLength(0);
        Path off = dir.resolve("off.json");
        seen = runWatchingTheSimulator(
                "run",
                "--output",
                off.toString(),
                "--progress",
                "0s",
                "--no-report",
                "--max-error-rate",
                "none",
                "--scrape",
                "none");
        assertThat(ResultJson.read(off).run().cpuSplit()).isEqualTo("off");
        assertThat(err.toString()).doesNotContain("the harness runs on CPU");
        assertThat(seen)
                .as("CPU lists seen")
                .isNotEmpty()
                .allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));

        // The comparison names the difference.
        out.getBuffer().setLength(0);
        llmh("compare", auto.toString(), "--", off.toString());
        assertThat(out.toString()).contains("run.cpuSplit: base " + recorded + ", contender off");
    }

    @Test
    void aRealServerPinsNothing() throws Exception {
        List<Integer> allowed = CpuSplit.allowedCpus(Path.of("/proc/self/status"));
        try (StreamingTestServer s =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(2, 2, "a", "b", "c")))) {
            Path file = dir.resolve("url.json");
            int code =
                    llmh("run", "--url", s.baseUrl(), "--output", file.toString(), "--progress", "0s", "--no-report");
            assertThat(code).as(err.toString()).isEqualTo(Llmh.OK);
            assertThat(ResultJson.read(file).run().cpuSplit()).isEqualTo("none");
            assertThat(err.toString()).doesNotContain("cpu-split").doesNotContain("the harness runs on CPU");
            assertThat(CpuSplit.allowedCpus(Path.of("/proc/self/status"))).isEqualTo(allowed);
        }
    }
}
