package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.OutputPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    @Option(names = "--presets", split = ",", description = "Simulator presets: zero, fixed-itl. Default: both.")
    List<String> presets = List.of("zero", "fixed-itl");

    @Option(names = "--ttft", description = "fixed-itl: time to first token. Default: 20ms.")
    String ttft = "20ms";

    @Option(names = "--itl", description = "fixed-itl: inter-token latency. Default: 20ms.")
    String itl = "20ms";

    @Option(names = "--loads", split = ",", description = "Load kinds: open, closed. Default: both.")
    List<String> loads = List.of("open", "closed");

    @Option(
            names = "--rates",
            split = ",",
            description = "Open-loop steps, requests/s, rising. Default: 100,200,400,800,1200,1600.")
    List<Double> rates;

    @Option(
            names = "--concurrency",
            split = ",",
            description = "Closed-loop steps, concurrent streams, rising. Default: 10,100,400,1000.")
    List<Integer> concurrency;

    @Option(names = "--warmup", description = "Warmup of each step. Default: 3s.")
    String warmup = "3s";

    @Option(names = "--step", description = "Measurement window of each step. Default: 5s.")
    String step = "5s";

    @Option(names = "--input-tokens", description = "Prompt length. Default: 64.")
    int inputTokens = 64;

    @Option(names = "--output-tokens", description = "Output length (exact). Default: 128.")
    int outputTokens = 128;

    @Option(names = "--sim-jvm-option", description = "JVM option of the simulator process (repeatable).")
    List<String> simJvmOptions = new ArrayList<>();

    @Option(names = "--sim-cpus", description = "Pin the simulator to these CPUs (taskset list, e.g. 0).")
    String simCpus;

    @Option(names = "--harness-cpus", description = "Pin this JVM to these CPUs (taskset list, e.g. 1).")
    String harnessCpus;

    @Option(names = "--seed", description = "Seed of schedules and prompts. Default: 42.")
    long seed = 42;

    @Option(names = "--json", description = "JSON output file. Default: selfbench.json.")
    Path json = Path.of("selfbench.json");

    @Option(names = "--markdown", description = "Markdown output file (a section for docs). Default: none.")
    Path markdown;

    @Option(
            names = "--keep-going",
            description = "Run every step even after one fell behind (for before/after comparisons).")
    boolean keepGoing;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            OutputPaths.requireWritable(json, "--json " + json);
        }
        if (markdown != null) {
            OutputPaths.requireWritable(markdown, "--markdown " + markdown);
        }
        SelfBenchConfig defaults = SelfBenchConfig.defaults();
        List<SimSetup> setups = new ArrayList<>();
        for (String p : presets) {
            setups.add(
                    p.equals("zero")
                            ? SimSetup.zero()
                            : new SimSetup(p, DurationText.parse(ttft), DurationText.parse(itl)));
        }
        SelfBenchConfig config = new SelfBenchConfig(
                setups,
                loads,
                rates == null ? defaults.rates() : rates,
                concurrency == null ? defaults.concurrencies() : concurrency,
                parse(warmup),
                parse(step),
                inputTokens,
                outputTokens,
                simJvmOptions,
                simCpus,
                harnessCpus,
                StopCriteria.DEFAULT,
                seed,
                json,
                markdown,
                keepGoing);
        SelfBench.run(config, System.out, System.err);
        return Llmh.OK;
    }

    private static Duration parse(String text) {
        return text.strip().equals("0") ? Duration.ZERO : DurationText.parse(text);
    }
}
