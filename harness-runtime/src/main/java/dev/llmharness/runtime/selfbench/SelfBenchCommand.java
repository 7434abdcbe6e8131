package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.cli.OptionText;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.settings.Choice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code llmh selfbench}: measures how much load this harness can drive on this machine before it,
 * rather than the server, limits the measurement. See docs/performance.md.
 */
@Command(
        name = "selfbench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the harness itself against the simulator (in a child JVM) at rising load; stop at"
                    + " the first step where it falls behind and report the highest clean step."
        })
public final class SelfBenchCommand implements Callable<Integer> {
    /** {@code --method}: {@code steps} (the default), {@code peers} or {@code spike}. */
    public static final Choice<SelfBenchConfig.Method> METHOD = Choice.ofEnum(
            null,
            "--method",
            SelfBenchConfig.Method.values(),
            m -> m.name().toLowerCase(Locale.ROOT),
            SelfBenchConfig.Method.STEPS);

    /** Each of {@code --presets}: {@code zero} or {@code fixed-itl}. */
    public static final Choice<String> PRESET = Choice.ofLabels(null, "--presets", List.of("zero", "fixed-itl"), null);

    /** Each of {@code --loads}: {@code open} or {@code closed}. */
    public static final Choice<String> LOAD = Choice.ofLabels(null, "--loads", List.of("open", "closed"), null);

    /** {@code --arrival}: {@code constant} or {@code poisson}; not given: the method's. */
    public static final Choice<Arrival> ARRIVAL =
            Choice.ofEnum(null, "--arrival", Arrival.values(), a -> a.name().toLowerCase(Locale.ROOT), null);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--method",
            description = "steps: rising steps until the harness falls behind (default); peers: the way"
                    + " peers are measured (harness on CPU 0, simulator on CPU 1, Poisson, 128/128 tokens,"
                    + " every point; docs/performance.md); spike: the peers' way, one trial per preset whose rate"
                    + " jumps from the base to the peak (--rates BASE,PEAK; default 10,800, fixed-itl 10,200) and back, each phase"
                    + " --step long (default 10s), reported per phase.")
    String method;

    @Option(names = "--presets", split = ",", description = "Simulator presets: zero, fixed-itl. Default: both.")
    List<String> presets;

    @Option(names = "--ttft", description = "fixed-itl: time to first token. Default: 20ms.")
    String ttft = "20ms";

    @Option(names = "--itl", description = "fixed-itl: inter-token latency. Default: 20ms.")
    String itl = "20ms";

    @Option(names = "--loads", split = ",", description = "Load kinds: open, closed. Default: both (peers: open).")
    List<String> loads;

    @Option(
            names = "--rates",
            split = ",",
            description = "Open-loop steps, requests/s, rising. Default: 100,200,400,800,1200,1600 (peers:"
                    + " 10,50,200,400,800,1200,1600 for zero, 10,50,200,300,400 for fixed-itl; spike: the base and"
                    + " the peak, 10,800 for zero and 10,200 for fixed-itl).")
    List<Double> rates;

    @Option(
            names = "--concurrency",
            split = ",",
            description = "Closed-loop steps, concurrent streams, rising. Default: 10,100,400,1000.")
    List<Integer> concurrency;

    @Option(
            names = "--arrival",
            description = "Open-loop arrivals: constant, poisson. Default: constant (peers: poisson).")
    String arrival;

    @Option(names = "--warmup", description = "Warmup of each step. Default: 3s.")
    String warmup;

    @Option(
            names = "--step",
            description = "Measurement window of each step. Default: 5s (peers: 20s; spike: each phase, 10s).")
    String step;

    @Option(names = "--input-tokens", description = "Prompt length. Default: 64 (peers: 128).")
    Integer inputTokens;

    @Option(names = "--output-tokens", description = "Output length (exact). Default: 128.")
    Integer outputTokens;

    @Option(names = "--sim-jvm-option", description = "JVM option of the simulator process (repeatable).")
    List<String> simJvmOptions = new ArrayList<>();

    @Option(
            names = "--sim-cpus",
            description = "Pin the simulator to these CPUs (taskset list, e.g. 0; none: unpinned). Default: none"
                    + " (peers: 1).")
    String simCpus;

    @Option(
            names = "--harness-cpus",
            description =
                    "Pin this JVM to these CPUs (taskset list, e.g. 1; none: unpinned). Default: none" + " (peers: 0).")
    String harnessCpus;

    @Option(names = "--seed", description = "Seed of schedules and prompts. Default: 42.")
    long seed = 42;

    @Option(names = "--json", description = "JSON output file. Default: selfbench.json.")
    Path json = Path.of("selfbench.json");

    @Option(names = "--markdown", description = "Markdown output file (a section for docs). Default: none.")
    Path markdown;

    @Option(
            names = "--keep-going",
            description = "Run every step even after one fell behind (for before/after comparisons; peers: always).")
    boolean keepGoing;

    @Option(
            names = "--transport",
            description = "How the harness's requests reach the simulator: threads or event-loop (as llmh run's"
                    + " --transport). Default: -Dllmh.transport, else threads.")
    String transport;

    @Option(
            names = "--jit-priority",
            description = "Priority of the JVM's compiler threads and the harness's housekeeping threads: idle"
                    + " (Linux SCHED_IDLE) or normal (as llmh run's --jit-priority). Default: -Dllmh.jitPriority,"
                    + " else idle.")
    String jitPriority;

    @Override
    public Integer call() throws Exception {
        // The options with a fixed set of values first, each in the one wording, before any
        // simulator starts.
        SelfBenchConfig.Method m = OptionText.choice(spec, METHOD, method);
        Arrival arrivals = OptionText.choice(spec, ARRIVAL, arrival);
        List<String> presetNames = new ArrayList<>();
        for (String p : presets == null ? List.of("zero", "fixed-itl") : presets) {
            presetNames.add(OptionText.choice(spec, PRESET, p));
        }
        List<String> loadKinds = null;
        if (loads != null) {
            loadKinds = new ArrayList<>();
            for (String l : loads) {
                loadKinds.add(OptionText.choice(spec, LOAD, l));
            }
        }
        TransportKind transportKind = OptionText.choice(spec, TransportKind.SETTING, transport);
        IdlePriority.Mode priority = OptionText.choice(spec, IdlePriority.SETTING, jitPriority);
        // Every tuning property the steps read (-Dllmh.loopDispatch, -Dllmh.requestThreads...) before
        // any simulator starts; --transport and --jit-priority are read above, over their properties.
        dev.llmharness.runtime.run.TuningSettings.check(
                name -> name.equals("--transport") || name.equals("--jit-priority"));
        if (json != null) {
            OutputPaths.requireWritable(json, "--json " + json);
        }
        if (markdown != null) {
            OutputPaths.requireWritable(markdown, "--markdown " + markdown);
        }
        SelfBenchConfig base = switch (m) {
            case PEERS -> SelfBenchConfig.peers();
            case SPIKE -> SelfBenchConfig.spike();
            case STEPS -> SelfBenchConfig.defaults();
        };
        List<SimSetup> setups = new ArrayList<>();
        for (String p : presetNames) {
            SimSetup s = p.equals("zero")
                    ? SimSetup.zero()
                    : new SimSetup(p, DurationText.parse(ttft), DurationText.parse(itl));
            if (rates == null) {
                // The method's own rates for this preset, if it has any.
                for (SimSetup b : base.setups()) {
                    if (b.preset().equals(s.preset())) {
                        s = s.withRates(b.rates());
                    }
                }
            }
            setups.add(s);
        }
        SelfBenchConfig config = new SelfBenchConfig(
                setups,
                loadKinds == null ? base.loads() : loadKinds,
                rates == null ? base.rates() : rates,
                concurrency == null ? SelfBenchConfig.defaults().concurrencies() : concurrency,
                warmup == null ? base.warmup() : parse(warmup),
                step == null ? base.step() : parse(step),
                inputTokens == null ? base.inputTokens() : inputTokens,
                outputTokens == null ? base.outputTokens() : outputTokens,
                simJvmOptions,
                cpus(simCpus, base.simCpus()),
                cpus(harnessCpus, base.harnessCpus()),
                base.criteria(),
                seed,
                json,
                markdown,
                keepGoing || base.keepGoing(),
                arrivals == null ? base.arrival() : arrivals,
                m,
                transportKind);
        IdlePriority.use(priority, System.err);
        SelfBench.run(config, System.out, System.err);
        return Llmh.OK;
    }

    /** A CPU list as given; {@code none} for unpinned; the method's default when not given. */
    private static String cpus(String given, String methodDefault) {
        if (given == null) {
            return methodDefault;
        }
        return given.strip().equalsIgnoreCase("none") ? null : given.strip();
    }

    private static Duration parse(String text) {
        return text.strip().equals("0") ? Duration.ZERO : DurationText.parse(text);
    }
}
