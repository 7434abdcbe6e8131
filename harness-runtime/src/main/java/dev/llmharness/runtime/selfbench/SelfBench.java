package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.run.LoadJvm;
import dev.llmharness.runtime.sim.SimProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The harness's self-benchmark: drives the real engine against the simulator in a child JVM at
 * rising load and finds, per simulator setup and load kind, the highest step at which the harness
 * still keeps up ({@link StopCriteria}). Entry points: {@link #run} here, {@code llmh selfbench} on
 * the command line.
 */
public final class SelfBench {
    private SelfBench() {}

    /** Measures one step at a level (requests/s or concurrency). */
    @FunctionalInterface
    public interface StepMeasure {
        StepFigures measure(double level) throws InterruptedException;
    }

    /**
     * Runs {@code levels} in order and stops after the first step that is not clean (unless
     * {@code keepGoing}: then every level runs, and the highest clean step is still the last one
     * before the first unclean step).
     *
     * @param onStep sees each step as soon as it is judged (progress output)
     */
    public static SeriesResult runSeries(
            String preset,
            String load,
            List<Double> levels,
            StepMeasure measure,
            StepCriteria criteria,
            boolean keepGoing,
            Consumer<StepResult> onStep)
            throws InterruptedException {
        List<StepResult> steps = new ArrayList<>();
        Double highestClean = null;
        boolean fellBehind = false;
        for (double level : levels) {
            StepFigures f = measure.measure(level);
            StepResult r = new StepResult(f, criteria.problems(f));
            steps.add(r);
            onStep.accept(r);
            if (!r.clean()) {
                fellBehind = true;
                if (!keepGoing) {
                    break;
                }
            } else if (!fellBehind) {
                highestClean = level;
            }
        }
        return new SeriesResult(preset, load, steps, highestClean, fellBehind);
    }

    /**
     * Runs the whole self-benchmark: one simulator process per setup, each load kind's series
     * against it; prints the table as steps end, then the capacity lines; writes the JSON and
     * Markdown files the configuration names.
     *
     * @param out the table
     * @param err warnings of the trials
     */
    public static SelfBenchReport run(SelfBenchConfig config, PrintStream out, PrintStream err)
            throws InterruptedException {
        String started = Instant.now().toString();
        if (config.harnessCpus() != null) {
            pin(ProcessHandle.current().pid(), config.harnessCpus());
        }
        if (!LoadJvm.heapPreTouched()) {
            err.println("selfbench: " + LoadJvm.PRE_TOUCH_ADVICE);
        }
        List<String> simJvmOptions = config.simJvmOptions().isEmpty()
                ? SimProcess.jvmOptionsFor(groundTruthCapacity(config))
                : config.simJvmOptions();
        List<SeriesResult> series = new ArrayList<>();
        StepTable.Layout layout = StepTable.Layout.of(config.method());
        out.println(StepTable.consoleHeader(layout));
        for (SimSetup setup : config.setups()) {
            try (SimProcess sim = SimProcess.start(setup.simConfig(groundTruthCapacity(config)), simJvmOptions)) {
                if (config.simCpus() != null) {
                    pin(sim.pid(), config.simCpus());
                }
                StepRunner runner = new StepRunner(config, setup, sim.baseUrl(), sim.pid(), err);
                // Both JVMs are cold: a first trial, not reported, lets the JIT compile the request
                // and event paths so that the first reported step is not judged on interpreted code
                // (it otherwise shows lag p99 of tens of ms).
                String firstLoad = config.loads().get(0);
                double firstLevel = primingLevel(config, setup, firstLoad);
                runner.run(firstLoad, firstLevel);
                if (config.method() == SelfBenchConfig.Method.SPIKE) {
                    SpikePlan plan = SpikePlan.of(config, setup);
                    out.println(setup.label() + ": spike " + plan.describe());
                    series.add(plan.run(runner, setup, config, r -> out.println(StepTable.consoleRow(layout, r))));
                    continue;
                }
                for (String load : config.loads()) {
                    List<Double> levels = load.equals("open")
                            ? config.ratesFor(setup)
                            : config.concurrencies().stream()
                                    .map(Integer::doubleValue)
                                    .toList();
                    series.add(runSeries(
                            setup.label(),
                            load,
                            levels,
                            level -> runner.run(load, level),
                            config.criteria(),
                            config.keepGoing(),
                            r -> out.println(StepTable.consoleRow(layout, r))));
                }
            }
        }
        SelfBenchReport report = new SelfBenchReport(
                started,
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                LoadJvm.currentOptions(),
                RequestThreads.virtual() ? "virtual" : "platform",
                Runtime.getRuntime().availableProcessors(),
                config.warmup().toNanos() / 1e9,
                config.step().toNanos() / 1e9,
                config.inputTokens(),
                config.outputTokens(),
                simJvmOptions,
                config.simCpus(),
                config.harnessCpus(),
                config.criteria(),
                config.arrival().name().toLowerCase(java.util.Locale.ROOT),
                config.method().name().toLowerCase(java.util.Locale.ROOT),
                series,
                config.transport().label(),
                IdlePriority.recorded());
        out.println();
        report.capacityLines().forEach(l -> out.println(report.summaryLabel() + l));
        if (config.json() != null) {
            report.writeJson(config.json());
            out.println("wrote " + config.json());
        }
        if (config.markdown() != null) {
            report.writeMarkdown(config.markdown());
            out.println("wrote " + config.markdown());
        }
        return report;
    }

    /** Requests/s of the peers' method's priming trial, at most: {@value #PEERS_PRIMING_RATE}. */
    static final double PEERS_PRIMING_RATE = 200;

    /**
     * The level of the unreported first trial: the lowest step; with the peers' method, the highest
     * open-loop rate up to {@value #PEERS_PRIMING_RATE} requests/s. Its series starts at 10
     * requests/s, where a priming trial of 23 s sends some 230 requests: too few for the JIT to
     * compile the per-request path (OkHttp's call, the connection pool), which it then compiles
     * during the first reported points, on the harness's only core (measured: about 1,800
     * compilations and 7 % of the core in the compiler threads during a 100 requests/s window).
     */
    static double primingLevel(SelfBenchConfig config, SimSetup setup, String load) {
        if (!load.equals("open")) {
            return config.concurrencies().get(0);
        }
        List<Double> rates = config.ratesFor(setup);
        if (config.method() == SelfBenchConfig.Method.SPIKE) {
            // The base rate is too low to compile the per-request path; the peak would be a spike.
            return Math.min(PEERS_PRIMING_RATE, rates.get(rates.size() - 1));
        }
        if (config.method() != SelfBenchConfig.Method.PEERS) {
            return rates.get(0);
        }
        double level = rates.get(0);
        for (double r : rates) {
            if (r <= PEERS_PRIMING_RATE) {
                level = r;
            }
        }
        return level;
    }

    /**
     * Records the simulator keeps between two drains: every request of the busiest step with
     * room to spare, bounded so that its memory stays modest (about 1 KiB per 128-token record).
     */
    static int groundTruthCapacity(SelfBenchConfig c) {
        double seconds = (c.warmup().toNanos() + c.step().toNanos()) / 1e9 + 12;
        double maxRate = c.setups().stream()
                .flatMap(s -> c.ratesFor(s).stream())
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        int maxConcurrency =
                c.concurrencies().stream().mapToInt(Integer::intValue).max().orElse(0);
        double wanted = Math.max(maxRate * seconds, maxConcurrency * 4.0);
        return (int) Math.min(200_000, Math.max(50_000, wanted));
    }

    /** Pins every thread of a process to a CPU list with {@code taskset} (Linux). */
    static void pin(long pid, String cpus) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalArgumentException(
                        "taskset could not pin process " + pid + " to CPUs " + cpus + ": " + text.strip());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "pinning needs the taskset command (util-linux); it could not run: " + e.getMessage(), e);
        }
    }
}
