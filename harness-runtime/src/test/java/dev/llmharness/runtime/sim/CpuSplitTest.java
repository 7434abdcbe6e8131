package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.llmharness.runtime.settings.AutoOff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CpuSplit}: the plan from the allowed CPUs, and real pinning of a real simulator process and
 * of this JVM, read back from {@code /proc/PID/task/TID/status}.
 */
class CpuSplitTest {
    private static final List<String> SMALL_JVM = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cpuListsReadAndWriteAsTheKernelWritesThem() {
        assertThat(CpuSplit.parseList("0-3,8,10-11\n")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(CpuSplit.format(List.of(0, 1, 2, 3, 8, 10, 11))).isEqualTo("0-3,8,10-11");
        assertThat(CpuSplit.format(List.of(1))).isEqualTo("1");
        for (String bad : List.of("", "a", "3-1", "1-2-3", "-1")) {
            assertThatThrownBy(() -> CpuSplit.parseList(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a CPU list");
        }
    }

    @Test
    void theHarnessTakesTheFirstHalfOfTheCoresRoundedUpAndTheSimulatorTheRest() {
        // Each CPU its own core (this 2-CPU VM, most cloud runners).
        assertThat(CpuSplit.plan(List.of(0, 1), cpu -> "0:" + cpu))
                .isEqualTo(new CpuSplit.Plan(List.of(0), List.of(1)));
        assertThat(CpuSplit.plan(List.of(0, 1, 2), cpu -> "0:" + cpu))
                .isEqualTo(new CpuSplit.Plan(List.of(0, 1), List.of(2)));
        // A cpuset that is not 0 and 1: what this process may use, never assumed.
        assertThat(CpuSplit.plan(List.of(4, 5, 9, 12), cpu -> null))
                .isEqualTo(new CpuSplit.Plan(List.of(4, 5), List.of(9, 12)));
        // Hyper-threads: CPU n and n+4 are one core; a core is never on both sides.
        assertThat(CpuSplit.plan(List.of(0, 1, 2, 3, 4, 5, 6, 7), cpu -> "0:" + (cpu % 4)))
                .isEqualTo(new CpuSplit.Plan(List.of(0, 1, 4, 5), List.of(2, 3, 6, 7)));
        // Two threads of one core are all there is: split them rather than share.
        assertThat(CpuSplit.plan(List.of(0, 1), cpu -> "0:0")).isEqualTo(new CpuSplit.Plan(List.of(0), List.of(1)));
        assertThat(CpuSplit.plan(List.of(3), cpu -> "0:3")).isNull();
        assertThat(new CpuSplit.Plan(List.of(0, 1, 4, 5), List.of(2, 3, 6, 7)).recorded())
                .isEqualTo("harness=0-1,4-5 simulator=2-3,6-7");
    }

    @Test
    void aBadModeNamesTheValues() {
        assertThat(CpuSplit.SETTING.parse(" AUTO ")).isEqualTo(AutoOff.AUTO);
        assertThat(CpuSplit.SETTING.parse("off")).isEqualTo(AutoOff.OFF);
        assertThatThrownBy(() -> CpuSplit.SETTING.parse("on")).hasMessage("invalid --cpu-split on: use auto or off");
    }

    @Test
    void offAndWhatAutoCannotDoLeaveBothSharingAndSaySo() throws IOException {
        long self = ProcessHandle.current().pid();
        List<Integer> before = tasksOf(self).values().iterator().next();
        assertThat(CpuSplit.apply(AutoOff.OFF, self, self, dir.resolve("none"), null, null, err)
                        .recorded())
                .isEqualTo("off");
        assertThat(err()).isEmpty();

        Path oneCpu = Files.writeString(dir.resolve("status"), "Name:\tjava\nCpus_allowed_list:\t3\n");
        assertThat(CpuSplit.apply(AutoOff.AUTO, self, self, oneCpu, List.of(3), Path.of("/bin/true"), err)
                        .recorded())
                .isEqualTo("unavailable");
        assertThat(err())
                .isEqualTo(
                        "llmh: --cpu-split auto: this process may use one CPU (3) and no other is free; the harness and the"
                                + " simulator share the CPUs (run.cpuSplit unavailable)" + System.lineSeparator());

        errBytes.reset();
        Path twoCpus = Files.writeString(dir.resolve("status2"), "Cpus_allowed_list:\t0-1\n");
        assertThat(CpuSplit.apply(AutoOff.AUTO, self, self, twoCpus, null, null, err)
                        .recorded())
                .isEqualTo("unavailable");
        assertThat(err()).contains("no taskset (util-linux) on the PATH").contains("share the CPUs");

        errBytes.reset();
        assertThat(CpuSplit.apply(AutoOff.AUTO, self, self, dir.resolve("missing"), null, null, err)
                        .recorded())
                .isEqualTo("unavailable");
        assertThat(err()).contains("cannot read the CPUs this process may use");
        // Nothing above touched this JVM's affinity.
        assertThat(tasksOf(self).values()).allSatisfy(cpus -> assertThat(cpus).isEqualTo(before));
    }

    /**
     * A real simulator process and this JVM: every thread of each is pinned to its side of the split,
     * the simulator's later threads too (they inherit), and close gives this JVM its CPUs back.
     */
    @Test
    void theSimulatorAndTheHarnessRunOnCpusOfTheirOwnUntilTheRunEnds() throws Exception {
        List<Integer> allowed = CpuSplit.allowedCpus(Path.of("/proc/self/status"));
        assumeThat(allowed.size()).as("needs two CPUs").isGreaterThanOrEqualTo(2);
        assumeThat(CpuSplit.taskset()).as("needs taskset").isNotNull();
        long self = ProcessHandle.current().pid();
        try (SimProcess sim = SimProcess.start(SimConfig.defaults(), SMALL_JVM)) {
            CpuSplit split = CpuSplit.apply(AutoOff.AUTO, sim.pid(), err);
            CpuSplit.Plan plan;
            try {
                plan = CpuSplit.plan(allowed);
                assertThat(split.recorded()).isEqualTo(plan.recorded());
                assertThat(err())
                        .isEqualTo("llmh: the harness runs on CPU " + CpuSplit.format(plan.harness())
                                + ", the simulator on CPU " + CpuSplit.format(plan.simulator())
                                + " (--cpu-split auto; off shares them)" + System.lineSeparator());
                assertThat(tasksOf(sim.pid()).values())
                        .isNotEmpty()
                        .allSatisfy(cpus -> assertThat(cpus).isEqualTo(plan.simulator()));
                assertThat(tasksOf(self).values())
                        .allSatisfy(cpus -> assertThat(cpus).isEqualTo(plan.harness()));
                // A thread started now inherits the harness's side.
                List<Integer> later = new ArrayList<>();
                Thread t = new Thread(() -> {
                    try {
                        later.addAll(CpuSplit.allowedCpus(Path.of("/proc/thread-self/status")));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                t.start();
                t.join();
                assertThat(later).isEqualTo(plan.harness());
            } finally {
                split.close();
            }
            assertThat(tasksOf(self).values())
                    .allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
        }
    }

    /** When the harness cannot be pinned, the simulator is not left with half the machine. */
    @Test
    void aRefusedHarnessPinUndoesTheSimulatorsPin() throws Exception {
        List<Integer> allowed = CpuSplit.allowedCpus(Path.of("/proc/self/status"));
        assumeThat(allowed.size()).as("needs two CPUs").isGreaterThanOrEqualTo(2);
        assumeThat(CpuSplit.taskset()).as("needs taskset").isNotNull();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (SimProcess sim = SimProcess.start(SimConfig.defaults(), SMALL_JVM)) {
            CpuSplit split = CpuSplit.apply(
                    AutoOff.AUTO, gone.pid(), sim.pid(), Path.of("/proc/self/status"), null, CpuSplit.taskset(), err);
            assertThat(split.recorded()).isEqualTo("unavailable");
            assertThat(err())
                    .startsWith("llmh: --cpu-split auto: ")
                    .contains("process " + gone.pid() + " is gone")
                    .contains("share the CPUs (run.cpuSplit unavailable)");
            assertThat(tasksOf(sim.pid()).values())
                    .allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
        }
    }

    /**
     * A harness started on fewer CPUs than its cpuset grants ({@code taskset -c 0 llmh run}, as the
     * measurement slot runs it) keeps them, and the simulator gets the others; the harness is not
     * touched. Its status file says one CPU here; the simulator is real.
     */
    @Test
    void aHarnessStartedOnSomeCpusKeepsThemAndTheSimulatorGetsTheRest() throws Exception {
        List<Integer> allowed = CpuSplit.allowedCpus(Path.of("/proc/self/status"));
        assumeThat(allowed.size()).as("needs two CPUs").isGreaterThanOrEqualTo(2);
        assumeThat(CpuSplit.taskset()).as("needs taskset").isNotNull();
        int first = allowed.get(0);
        Path started = Files.writeString(dir.resolve("status"), "Cpus_allowed_list:\t" + first + "\n");
        long self = ProcessHandle.current().pid();
        try (SimProcess sim = SimProcess.start(SimConfig.defaults(), SMALL_JVM)) {
            try (CpuSplit split =
                    CpuSplit.apply(AutoOff.AUTO, self, sim.pid(), started, allowed, CpuSplit.taskset(), err)) {
                List<Integer> rest = allowed.subList(1, allowed.size());
                assertThat(split.recorded()).isEqualTo("harness=" + first + " simulator=" + CpuSplit.format(rest));
                assertThat(tasksOf(sim.pid()).values())
                        .allSatisfy(cpus -> assertThat(cpus).isEqualTo(rest));
                assertThat(tasksOf(self).values())
                        .allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
            }
            assertThat(tasksOf(self).values())
                    .allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
        }
    }

    @Test
    void theCpusetIsReadFromTheCgroupOfEitherVersion() throws IOException {
        Path root = dir.resolve("cgroup");
        Files.createDirectories(root.resolve("cpuset/job"));
        Files.writeString(root.resolve("cpuset/job/cpuset.effective_cpus"), "2-5\n");
        Path v1 = Files.writeString(dir.resolve("v1"), "4:memory:/x\n3:cpuset,cpu:/job\n0::/\n");
        assertThat(CpuSplit.grantedCpus(v1, root)).containsExactly(2, 3, 4, 5);
        Files.createDirectories(root.resolve("app.slice"));
        Files.writeString(root.resolve("cpuset.cpus.effective"), "0-7\n");
        Path v2 = Files.writeString(dir.resolve("v2"), "0::/app.slice\n");
        // The cgroup's own file is missing (a container's view): the root's.
        assertThat(CpuSplit.grantedCpus(v2, root)).hasSize(8);
        Files.writeString(root.resolve("app.slice/cpuset.cpus.effective"), "6\n");
        assertThat(CpuSplit.grantedCpus(v2, root)).containsExactly(6);
        assertThat(CpuSplit.grantedCpus(dir.resolve("missing"), root)).isNull();
    }

    /** Each thread's allowed CPUs, by thread id. */
    static Map<String, List<Integer>> tasksOf(long pid) throws IOException {
        Map<String, List<Integer>> tasks = new java.util.TreeMap<>();
        try (Stream<Path> ids = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : ids.toList()) {
                try {
                    tasks.put(task.getFileName().toString(), CpuSplit.allowedCpus(task.resolve("status")));
                } catch (IOException e) {
                    // The thread ended between the listing and the read.
                }
            }
        }
        return tasks;
    }
}
