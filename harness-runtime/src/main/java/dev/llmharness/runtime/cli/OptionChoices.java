package dev.llmharness.runtime.cli;

import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.compare.CompareFormat;
import dev.llmharness.runtime.compare.FailOn;
import dev.llmharness.runtime.gate.BenchGate;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.observe.ObserveOptions;
import dev.llmharness.runtime.result.MergeCommand;
import dev.llmharness.runtime.run.JvmWarmup;
import dev.llmharness.runtime.run.Preopen;
import dev.llmharness.runtime.run.TargetResolver;
import dev.llmharness.runtime.run.TuningSettings;
import dev.llmharness.runtime.selfbench.SelfBenchCommand;
import dev.llmharness.runtime.settings.Choice;
import dev.llmharness.runtime.sim.CpuSplit;
import dev.llmharness.runtime.sim.SimCommand;
import dev.llmharness.runtime.tokenize.ServerTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every command-line option with a fixed set of values, by command, each read by its {@link
 * Choice}: a bad value is one line, {@code invalid --format html: use terminal, markdown or json},
 * exit code 2, before any load, whichever command and option. A test walks every command's options
 * and fails on one that takes text and is neither listed here nor named as free-form text, so a
 * new option cannot be parsed another way unnoticed; another runs each listed option with a value
 * it does not take.
 */
public final class OptionChoices {
    private OptionChoices() {}

    /** The options with a fixed set of values of each subcommand, by the subcommand's name. */
    public static Map<String, List<Choice<?>>> byCommand() {
        Map<String, List<Choice<?>>> m = new LinkedHashMap<>();
        m.put(
                "run",
                List.of(
                        TargetResolver.API,
                        TargetResolver.STREAM,
                        ServerTokens.Mode.SETTING,
                        TransportKind.SETTING,
                        IdlePriority.SETTING,
                        Preopen.SETTING,
                        JvmWarmup.SETTING,
                        CpuSplit.SETTING,
                        ObserveOptions.COST_ALLOCATION));
        m.put("compare", List.of(CompareFormat.SETTING, FailOn.SETTING));
        m.put("merge", List.of(MergeCommand.MODE));
        m.put("sim", List.of(SimCommand.PRESET, SimCommand.TIMING, SimCommand.TOKENIZER, SimCommand.ENGINE));
        m.put(
                "selfbench",
                List.of(
                        SelfBenchCommand.METHOD,
                        SelfBenchCommand.PRESET,
                        SelfBenchCommand.LOAD,
                        SelfBenchCommand.ARRIVAL,
                        TransportKind.SETTING,
                        IdlePriority.SETTING));
        m.put("gate", List.of(BenchGate.FORKS));
        return m;
    }

    /**
     * Every setting with a system property, once: the options' above, the tuning settings and the
     * gate's. What the Maven plugin checks before it forks a JVM, and what a property read by name
     * in the sources must be one of.
     */
    public static List<Choice<?>> withProperty() {
        Set<Choice<?>> all = new LinkedHashSet<>(TuningSettings.ALL);
        byCommand().values().forEach(all::addAll);
        all.addAll(BenchGate.SETTINGS);
        List<Choice<?>> withProperty = new ArrayList<>();
        for (Choice<?> c : all) {
            if (c.property() != null) {
                withProperty.add(c);
            }
        }
        return withProperty;
    }
}
