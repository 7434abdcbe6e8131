package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The list of tuning settings is the list of properties the runtime reads by name: a property read
 * straight from the system properties (rather than through a picocli option's {@code
 * ${sys:llmh...}} default) must be one of {@link TuningSettings#ALL}, so that every command checks
 * it before any load, the property of an option's setting ({@code OptionChoices}), which the
 * Maven plugin checks before it forks, or be one of the few the gate reads and checks itself.
 */
class TuningSettingsTest {
    /**
     * Properties named in the code that are not tuning settings, each with where its value is
     * checked.
     */
    private static final Map<String, String> CHECKED_ELSEWHERE = Map.of(
            "llmh.compareOptions", "CompareCommand.checkOptions",
            "llmh.include", "SuiteSelection.select (a regex)",
            "llmh.baseSim", "the simulator's options, read by llmh sim's parser",
            "llmh.baseUrl", "llmh gate --base-url (ServerUrl)",
            "llmh.url", "llmh gate's check of its runs' URL (ServerUrl)",
            "llmh.sim", "llmh gate's check of its runs' simulator options (SimCommand.fromOptions)",
            "llmh.baseDir", "BaseDir.resolve, when a relative trace path is read, before any load (a directory)");

    @Test
    void everyPropertyTheCodeReadsByNameIsASettingOrCheckedByTheGate() throws IOException {
        // Dotted names too (llmh.cost.allocation), not the prefixes read as families (llmh.analysis.).
        Pattern literal = Pattern.compile("\"(llmh\\.[A-Za-z]+(?:\\.[A-Za-z]+)*)\"");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        Set<String> settings =
                TuningSettings.ALL.stream().map(Choice::property).collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).as("the scan found the settings").containsAll(settings);
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(settings);
        dev.llmharness.runtime.cli.OptionChoices.withProperty().forEach(c -> unknown.remove(c.property()));
        unknown.removeAll(CHECKED_ELSEWHERE.keySet());
        assertThat(unknown)
                .as("read by name but neither in TuningSettings.ALL (checked before any load), an option's setting"
                        + " (OptionChoices) nor checked by the gate")
                .isEmpty();
    }

    @Test
    void aValueIsReadIgnoringCaseAndBlanksAndABlankOneIsNotSet() {
        Choice<LoopDispatch> setting = LoopDispatch.SETTING;
        assertThat(setting.from(properties(" LOOP "))).isEqualTo(LoopDispatch.LOOP);
        assertThat(setting.from(properties("thread"))).isEqualTo(LoopDispatch.THREAD);
        assertThat(setting.from(properties("  "))).isEqualTo(LoopDispatch.THREAD);
        assertThat(setting.from(new Properties())).isEqualTo(LoopDispatch.THREAD);
        // Before: any value but "loop" silently meant "thread".
        assertThatThrownBy(() -> setting.from(properties("lop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid -Dllmh.loopDispatch=lop: use thread or loop");
    }

    @Test
    void aNumberOrAnAliasIsAcceptedWhereTheSettingSaysSoAndListedOnlyAsItsLabels() {
        assertThat(Preopen.SETTING.parse(" 12 ")).isEqualTo(new Preopen(12));
        assertThat(Preopen.SETTING.parse("0")).isEqualTo(Preopen.OFF);
        assertThat(Preopen.SETTING.parse("ON")).isEqualTo(Preopen.AUTO);
        assertThat(JvmWarmup.SETTING.parse("on")).isEqualTo(dev.llmharness.runtime.settings.AutoOff.AUTO);
        assertThat(Preopen.SETTING.accepts("-1")).isFalse();
        assertThat(dev.llmharness.runtime.sim.CpuSplit.SETTING.accepts("on"))
                .as("only the warm-up records 'on'")
                .isFalse();
        assertThat(Choice.ofWholeNumber("llmh.x", null, 1, null).accepted()).isEqualTo("a whole number >= 1");
        assertThatThrownBy(() -> Choice.ofBoolean("llmh.x", "--x", false).parse("yes"))
                .hasMessage("invalid --x yes: use true or false");
    }

    private static Properties properties(String loopDispatch) {
        Properties p = new Properties();
        p.setProperty(TrialRunner.LOOP_DISPATCH_PROPERTY, loopDispatch);
        return p;
    }
}
