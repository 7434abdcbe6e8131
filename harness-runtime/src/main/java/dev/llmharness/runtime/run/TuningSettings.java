package dev.llmharness.runtime.run;

import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.settings.Choice;
import dev.llmharness.runtime.sim.CpuSplit;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every tuning setting a run reads from a system property ({@code -Dllmh.transport}, {@code
 * -Dllmh.loopDispatch}...), so that a command can check them all before any load: the classes that
 * apply them read them only when a trial, a transport or a thread pool is made, which may be minutes
 * into a sweep. A new such setting belongs in {@link #ALL} (a test compares it with the properties
 * the code reads).
 */
public final class TuningSettings {
    /** The settings, each with its property, option (if any) and accepted values. */
    public static final List<Choice<?>> ALL = List.of(
            TransportKind.SETTING,
            LoopDispatch.SETTING,
            RequestThreads.SETTING,
            IdlePriority.SETTING,
            JvmWarmup.SETTING,
            CpuSplit.SETTING,
            Preopen.SETTING);

    private TuningSettings() {}

    /**
     * Reads every setting's system property, except those of the options the command has (it reads
     * those itself, where the command line wins over the property).
     *
     * @param hasOption whether the command has the option of that name, e.g. {@code --transport}
     * @throws IllegalArgumentException naming the first bad property, its value and the accepted values
     */
    public static void check(Predicate<String> hasOption) {
        for (Choice<?> setting : ALL) {
            if (setting.option() == null || !hasOption.test(setting.option())) {
                setting.fromProperty();
            }
        }
    }
}
