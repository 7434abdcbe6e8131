package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.compare.CompareOptions;
import dev.llmharness.runtime.compare.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code run.*} fields that record how the harness itself ran (transport, compiler priority,
 * JVM warm-up, CPU split), each through a file, a merge and a comparison: written and read back as
 * it is without touching the others, kept by a merge whose inputs agree, a difference a comparison
 * names; absent from older files, where it reads as null and is no difference. A new such field is
 * one more row of {@link #fields()}.
 */
class RunFieldJsonTest {
    private static final CompareOptions OPTIONS = CompareOptions.defaults().withResamples(200);

    @TempDir
    Path dir;

    /**
     * One {@code run.*} field.
     *
     * @param name as comparisons name it, e.g. {@code run.cpuSplit}
     * @param read the field of a {@link RunInfo}
     * @param write the {@link RunInfo} with the field set
     * @param values values it takes, at least two; the tests' runs start from the first
     * @param outcome whether it records how a run went rather than how it was set up: runs of one
     *     side that differ in it are a warning, not a refusal
     */
    record Field(
            String name,
            Function<RunInfo, String> read,
            BiFunction<RunInfo, String, RunInfo> write,
            List<String> values,
            boolean outcome) {
        /** The field's key in the file. */
        String key() {
            return name.substring("run.".length());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Field> fields() {
        return List.of(
                new Field(
                        "run.transport",
                        RunInfo::transport,
                        RunInfo::withTransport,
                        List.of("threads", "event-loop"),
                        false),
                new Field(
                        "run.jitPriority",
                        RunInfo::jitPriority,
                        RunInfo::withJitPriority,
                        List.of("idle", "normal", "unavailable"),
                        false),
                new Field(
                        "run.jvmWarmup",
                        RunInfo::jvmWarmup,
                        RunInfo::withJvmWarmup,
                        List.of("on", "off", "failed"),
                        true),
                new Field(
                        "run.cpuSplit",
                        RunInfo::cpuSplit,
                        RunInfo::withCpuSplit,
                        List.of(
                                "harness=0 simulator=1",
                                "harness=0-1,4-5 simulator=2-3,6-7",
                                "off",
                                "unavailable",
                                "none"),
                        true));
    }

    static List<Field> outcomeFields() {
        return fields().stream().filter(Field::outcome).toList();
    }

    /** A run with every field at its first value, then {@code field} at {@code value}. */
    private static RunResult runWith(Field field, String value, int seed) {
        RunResult r = SyntheticResults.run(seed, SyntheticResults.Spec.of("T").rate(20, 20));
        RunInfo info = r.run();
        for (Field f : fields()) {
            info = f.write().apply(info, f.values().get(0));
        }
        return new RunResult(r.schemaVersion(), field.write().apply(info, value), r.target(), r.trials(), false);
    }

    private static String second(Field field) {
        return field.values().get(1);
    }

    @ParameterizedTest
    @MethodSource("fields")
    void theFieldRoundTripsAndLeavesTheOthersAsTheyWere(Field field) throws IOException {
        for (String value : field.values()) {
            Path file = dir.resolve(field.key() + "-" + value.replace(' ', '_') + ".json");
            ResultJson.write(runWith(field, value, 1), file);
            assertThat(Files.readString(file)).contains("\"" + field.key() + "\" : \"" + value + "\"");
            RunInfo read = ResultJson.read(file).run();
            assertThat(field.read().apply(read)).isEqualTo(value);
            for (Field other : fields()) {
                if (!other.name().equals(field.name())) {
                    assertThat(other.read().apply(read))
                            .as(other.name())
                            .isEqualTo(other.values().get(0));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fields")
    void aFileWrittenBeforeTheFieldReadsAsNullAndIsNoDifference(Field field) throws IOException {
        String value = field.values().get(0);
        Path file = dir.resolve("before.json");
        ResultJson.write(runWith(field, value, 1), file);
        String text = Files.readString(file);
        String withoutField = text.replaceAll(",\\s*\"" + field.key() + "\" : \"" + Pattern.quote(value) + "\"", "");
        assertThat(withoutField).isNotEqualTo(text).doesNotContain("\"" + field.key() + "\"");
        Files.writeString(file, withoutField);
        RunResult old = ResultJson.read(file);
        assertThat(field.read().apply(old.run())).isNull();
        assertThat(Comparison.compare(List.of(old), List.of(runWith(field, second(field), 2)), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("fields")
    void aMergeKeepsTheValueWhenItsInputsAgreeAndACompareNamesADifference(Field field) {
        String value = field.values().get(0);
        RunResult a = runWith(field, value, 1);
        RunResult merged = ResultMerger.merge(
                List.of(a, runWith(field, value, 2)), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(field.read().apply(merged.run())).isEqualTo(value);
        assertThat(field.read()
                        .apply(ResultMerger.merge(
                                        List.of(a, runWith(field, second(field), 2)),
                                        List.of("a.json", "b.json"),
                                        ResultMerger.Mode.RUNS)
                                .run()))
                .isNull();
        assertThat(Comparison.compare(List.of(merged), List.of(runWith(field, second(field), 3)), OPTIONS)
                        .environmentDifferences())
                .containsExactly(field.name() + ": base " + value + ", contender " + second(field));
        assertThat(Comparison.compare(List.of(a), List.of(runWith(field, value, 3)), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }

    /** Runs of one side that differ in how a run went (a failed warm-up, a refused taskset) are warned about. */
    @ParameterizedTest
    @MethodSource("outcomeFields")
    void runsOfOneSideThatDifferInHowTheyWentAreAWarning(Field field) {
        String value = field.values().get(0);
        var report = Comparison.compare(
                List.of(runWith(field, value, 1), runWith(field, value, 2)),
                List.of("b1.json", "b2.json"),
                List.of(runWith(field, value, 3), runWith(field, second(field), 4)),
                List.of("c1.json", "c2.json"),
                OPTIONS);
        assertThat(report.warnings())
                .contains("the contender runs differ in " + field.name() + ": c1.json " + value + ", c2.json "
                        + second(field) + ": it may explain part of their spread");
    }
}
