package dev.llmharness.runtime.sim;

import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Gives the harness and the embedded simulator it starts CPUs of their own ({@code --cpu-split},
 * {@code llmh.cpuSplit}). Sharing cores, the simulator's token streaming delays the harness's
 * dispatch wake-ups by 1-2 ms about 1 % of the time, which is enough to mark a 40 requests/s trial
 * harness-limited on a 2-CPU machine: the harness would then be measuring its own neighbour. This is
 * how a server is measured anyway (the harness on one core, the server under test on another).
 *
 * <p>{@code auto} (the default) splits the CPUs this JVM may run on ({@code Cpus_allowed_list} of
 * {@code /proc/self/status}, which already reflects {@code taskset}, cgroup cpusets and container
 * limits; never an assumed CPU 0 and 1) in two: whole cores where the machine has several (so that
 * two hyper-threads of one core never end up on both sides), the harness taking the first half,
 * rounded up, and the simulator the rest. A harness started on fewer CPUs than its cpuset grants
 * ({@code taskset -c 0 llmh run}) keeps them, and the simulator gets the others. Both processes
 * are pinned after they started, with {@code taskset -a -p} (util-linux, found on the {@code PATH}
 * at run time), so that each JVM sized its thread pools for the machine as before. When the run ends the harness gets its whole set
 * back. Fewer than two CPUs, no {@code taskset}, not Linux, or a refusal: one line on stderr saying
 * so, and both share the CPUs as they did before. {@code off} never pins. A run against a real
 * server ({@code --url}) starts no simulator, so nothing is pinned.
 */
public final class CpuSplit implements AutoCloseable {
    /** The system property of the setting. */
    public static final String PROPERTY = "llmh.cpuSplit";

    /** {@code run.cpuSplit} when the user opted out. */
    public static final String OFF = "off";

    /** {@code run.cpuSplit} when {@code auto} could not split (one CPU, no {@code taskset}, refused). */
    public static final String UNAVAILABLE = "unavailable";

    /** {@code run.cpuSplit} of a run that started no simulator: a real server, nothing pinned. */
    public static final String NONE = "none";

    /** The setting ({@code --cpu-split}, {@value #PROPERTY}): {@code auto} or {@code off}, {@code auto} when not set. */
    public static final Choice<AutoOff> SETTING = AutoOff.choice(PROPERTY, "--cpu-split");

    /**
     * A split of the allowed CPUs.
     *
     * @param harness the harness's CPUs, ascending, never empty
     * @param simulator the simulator's CPUs, ascending, never empty, none of them the harness's
     */
    public record Plan(List<Integer> harness, List<Integer> simulator) {
        public Plan {
            harness = List.copyOf(harness);
            simulator = List.copyOf(simulator);
            if (harness.isEmpty() || simulator.isEmpty()) {
                throw new IllegalArgumentException("both sides need a CPU");
            }
        }

        /** As {@code run.cpuSplit} records it: {@code harness=0 simulator=1}. */
        public String recorded() {
            return "harness=" + format(harness) + " simulator=" + format(simulator);
        }
    }

    private final String recorded;
    /** How to give the harness its CPUs back, or {@code null} when nothing was pinned. */
    private Runnable restore;

    private CpuSplit(String recorded, Runnable restore) {
        this.recorded = recorded;
        this.restore = restore;
    }

    /**
     * What {@code run.cpuSplit} records: the plan ({@code harness=0 simulator=1}), {@link #OFF} or
     * {@link #UNAVAILABLE}.
     */
    public String recorded() {
        return recorded;
    }

    /**
     * Applies {@code mode} to this JVM and the simulator process {@code simulatorPid} it started;
     * never fails: what it cannot do is one line on {@code err}, and both run unpinned.
     */
    public static CpuSplit apply(AutoOff mode, long simulatorPid, PrintStream err) {
        return apply(
                mode,
                ProcessHandle.current().pid(),
                simulatorPid,
                Path.of("/proc/self/status"),
                mode == AutoOff.OFF ? null : grantedCpus(Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup")),
                taskset(),
                err);
    }

    /**
     * {@link #apply(AutoOff, long, PrintStream)} with the harness's pid, status file, granted CPUs and
     * {@code taskset} given.
     *
     * @param granted the CPUs this process's cpuset grants ({@link #grantedCpus}), or {@code null}
     *     when unknown: when the harness was started on fewer ({@code taskset -c 0 llmh run}), it
     *     keeps them and the simulator gets the rest
     */
    static CpuSplit apply(
            AutoOff mode,
            long harnessPid,
            long simulatorPid,
            Path status,
            List<Integer> granted,
            Path taskset,
            PrintStream err) {
        if (mode == AutoOff.OFF) {
            return new CpuSplit(OFF, null);
        }
        String prefix = "llmh: --cpu-split auto: ";
        String shared = "; the harness and the simulator share the CPUs (run.cpuSplit " + UNAVAILABLE + ")";
        List<Integer> allowed;
        try {
            allowed = allowedCpus(status);
        } catch (IOException | IllegalArgumentException e) {
            err.println(prefix + "cannot read the CPUs this process may use from " + status + " (" + e.getMessage()
                    + ")" + shared);
            return new CpuSplit(UNAVAILABLE, null);
        }
        List<Plan> plans = new ArrayList<>();
        if (granted != null && granted.containsAll(allowed)) {
            List<Integer> rest = new ArrayList<>(granted);
            rest.removeAll(allowed);
            if (!rest.isEmpty()) {
                // Started on some CPUs on purpose: keep them, and give the simulator the others.
                plans.add(new Plan(allowed, rest));
            }
        }
        Plan halves = plan(allowed);
        if (halves != null) {
            plans.add(halves);
        }
        if (plans.isEmpty()) {
            err.println(
                    prefix + "this process may use one CPU (" + format(allowed) + ") and no other is free" + shared);
            return new CpuSplit(UNAVAILABLE, null);
        }
        if (taskset == null) {
            err.println(prefix + "no taskset (util-linux) on the PATH" + shared);
            return new CpuSplit(UNAVAILABLE, null);
        }
        Runner runner = new Runner(taskset);
        String failed = null;
        for (Plan plan : plans) {
            failed = runner.pin(simulatorPid, format(plan.simulator()));
            boolean moveHarness = !plan.harness().equals(allowed);
            if (failed == null && moveHarness) {
                failed = runner.pin(harnessPid, format(plan.harness()));
                if (failed != null) {
                    // Half a split is worse than none: the simulator would have half the CPUs and
                    // the harness all of them, some of its threads perhaps pinned already.
                    runner.pin(harnessPid, format(allowed));
                }
            }
            if (failed == null) {
                err.println("llmh: the harness runs on CPU " + format(plan.harness()) + ", the simulator on CPU "
                        + format(plan.simulator()) + " (--cpu-split auto; off shares them)");
                return new CpuSplit(
                        plan.recorded(), moveHarness ? () -> runner.pin(harnessPid, format(allowed)) : null);
            }
            // A CPU outside what the cpuset really grants, say: the next plan, or none.
            runner.pin(simulatorPid, format(allowed));
        }
        err.println(prefix + failed + shared);
        return new CpuSplit(UNAVAILABLE, null);
    }

    /**
     * The CPUs this process's cpuset grants: {@code cpuset.cpus.effective} of its cgroup (v2), else
     * {@code cpuset.effective_cpus} of its cpuset cgroup (v1), each tried at the cgroup's path and
     * at the root (a container sees its own cgroup as the root); {@code null} when none is readable.
     */
    static List<Integer> grantedCpus(Path procCgroup, Path cgroupRoot) {
        List<Path> candidates = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procCgroup, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                String path = f[2].startsWith("/") ? f[2].substring(1) : f[2];
                if (f[0].equals("0") && f[1].isEmpty()) {
                    candidates.add(cgroupRoot.resolve(path).resolve("cpuset.cpus.effective"));
                    candidates.add(cgroupRoot.resolve("cpuset.cpus.effective"));
                } else if (List.of(f[1].split(",")).contains("cpuset")) {
                    candidates.add(cgroupRoot.resolve("cpuset").resolve(path).resolve("cpuset.effective_cpus"));
                    candidates.add(cgroupRoot.resolve("cpuset").resolve("cpuset.effective_cpus"));
                }
            }
        } catch (IOException e) {
            return null;
        }
        for (Path c : candidates) {
            try {
                return parseList(Files.readString(c, StandardCharsets.UTF_8));
            } catch (IOException | IllegalArgumentException e) {
                // not this one
            }
        }
        return null;
    }

    /** Gives the harness its whole set of CPUs back (the simulator is gone by then). Idempotent. */
    @Override
    public synchronized void close() {
        if (restore != null) {
            restore.run();
            restore = null;
        }
    }

    /** The split of {@code allowed} on this machine's cores ({@code null} for fewer than two CPUs). */
    public static Plan plan(List<Integer> allowed) {
        return plan(allowed, CpuSplit::coreOf);
    }

    /**
     * Splits {@code allowed} in two: the harness the first half of the cores (rounded up), the
     * simulator the rest; by CPU where all are on one core. {@code null} for fewer than two CPUs.
     *
     * @param coreOf a CPU's physical core (package and core id), or {@code null} when unknown
     */
    static Plan plan(List<Integer> allowed, java.util.function.IntFunction<String> coreOf) {
        if (allowed.size() < 2) {
            return null;
        }
        Map<String, List<Integer>> cores = new LinkedHashMap<>();
        for (int cpu : allowed) {
            String core = coreOf.apply(cpu);
            cores.computeIfAbsent(core == null ? "cpu" + cpu : core, k -> new ArrayList<>())
                    .add(cpu);
        }
        List<List<Integer>> units = new ArrayList<>(cores.values());
        if (units.size() < 2) {
            units = allowed.stream().map(List::of).toList();
        }
        int harnessUnits = (units.size() + 1) / 2;
        TreeSet<Integer> harness = new TreeSet<>();
        TreeSet<Integer> simulator = new TreeSet<>();
        for (int i = 0; i < units.size(); i++) {
            (i < harnessUnits ? harness : simulator).addAll(units.get(i));
        }
        return new Plan(new ArrayList<>(harness), new ArrayList<>(simulator));
    }

    /** The CPUs of {@code Cpus_allowed_list} in a {@code /proc/PID/status} file, ascending. */
    public static List<Integer> allowedCpus(Path status) throws IOException {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseList(line.substring("Cpus_allowed_list:".length()));
            }
        }
        throw new IOException("no Cpus_allowed_list line");
    }

    /**
     * A CPU list as {@code taskset} and the kernel write it ({@code 0-3,8,10-11}), ascending.
     *
     * @throws IllegalArgumentException when it is no such list
     */
    public static List<Integer> parseList(String text) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : text.strip().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] range = part.strip().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].strip());
                int to = range.length == 2 ? Integer.parseInt(range[1].strip()) : from;
                if (range.length > 2 || from < 0 || to < from) {
                    throw new IllegalArgumentException("not a CPU list: '" + text.strip() + "'");
                }
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CPU list: '" + text.strip() + "'");
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("not a CPU list: '" + text.strip() + "'");
        }
        return new ArrayList<>(cpus);
    }

    /** Ascending CPUs in the kernel's list form: {@code 0-3,8}. */
    public static String format(List<Integer> cpus) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (i < cpus.size()) {
            int j = i;
            while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) {
                j++;
            }
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(cpus.get(i));
            if (j > i) {
                s.append('-').append(cpus.get(j));
            }
            i = j + 1;
        }
        return s.toString();
    }

    /** {@code package:core} of a CPU from sysfs, or {@code null} when the kernel does not say. */
    private static String coreOf(int cpu) {
        Path topology = Path.of("/sys/devices/system/cpu/cpu" + cpu + "/topology");
        try {
            return Files.readString(topology.resolve("physical_package_id")).strip() + ":"
                    + Files.readString(topology.resolve("core_id")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code taskset} on the {@code PATH} (Linux only), or {@code null}. */
    public static Path taskset() {
        String path = System.getenv("PATH");
        if (path == null
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "taskset");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code taskset -a -p -c CPUS PID}: every thread of the process, the later ones inherit.
     * {@code taskset -a} exits 0 for a process that is gone, and a thread started while it walked the
     * list may keep the old set: so every thread is read back from {@code /proc}, and the command
     * run once more when one differs.
     */
    private record Runner(Path taskset) {
        /** {@code null} when every thread of {@code pid} may use exactly {@code cpus}, else why not. */
        String pin(long pid, String cpus) {
            String failed = tasksetOnce(pid, cpus);
            if (failed == null && (failed = check(pid, cpus)) != null) {
                failed = tasksetOnce(pid, cpus);
                if (failed == null) {
                    failed = check(pid, cpus);
                }
            }
            return failed;
        }

        private static String check(long pid, String cpus) {
            List<Integer> wanted = parseList(cpus);
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            List<Path> ids;
            try (java.util.stream.Stream<Path> list = Files.list(tasks)) {
                ids = list.toList();
            } catch (IOException e) {
                return "process " + pid + " is gone";
            }
            for (Path task : ids) {
                try {
                    List<Integer> has = allowedCpus(task.resolve("status"));
                    if (!has.equals(wanted)) {
                        return "thread " + task.getFileName() + " of process " + pid + " may still use CPU "
                                + format(has) + ", not " + cpus;
                    }
                } catch (IOException e) {
                    // That thread ended: nothing left to pin.
                }
            }
            return ids.isEmpty() ? "process " + pid + " is gone" : null;
        }

        private String tasksetOnce(long pid, String cpus) {
            try {
                Process p = new ProcessBuilder(taskset.toString(), "-a", "-p", "-c", cpus, Long.toString(pid))
                        .redirectErrorStream(true)
                        .start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "taskset did not finish within 10 s";
                }
                return p.exitValue() == 0
                        ? null
                        : "taskset -a -p -c " + cpus + " " + pid + " exited with " + p.exitValue() + ": "
                                + text.strip();
            } catch (IOException e) {
                return "taskset could not run: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }
}
