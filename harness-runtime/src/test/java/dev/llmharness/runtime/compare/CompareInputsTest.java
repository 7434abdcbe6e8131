package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareInputsTest {
    private static RunResult run(String id) {
        return SyntheticResults.run(1, new SyntheticResults.Spec(id, 200, 0.35, 20, 0.3, 13, 20, 12, 0));
    }

    private static void check(RunResult base, RunResult contender) {
        CompareInputs.requireComparable(List.of(base), List.of("base.json"), List.of(contender), List.of("new.json"));
    }

    @Test
    void filesOfOneVersionAndOneUnitPass() {
        RunResult other = SyntheticResults.run(2, new SyntheticResults.Spec("a", 200, 0.35, 20, 0.3, 13, 20, 12, 0));
        assertThatCode(() -> check(run("a"), other)).doesNotThrowAnyException();
    }

    @Test
    void oneRunOnBothSidesIsRefusedNamingBothFiles() {
        // The same path typed twice, or a copy: a run compared with itself always says NO CHANGE.
        assertThatThrownBy(() -> check(run("a"), run("a")))
                .isInstanceOf(ResultFormatException.class)
                .hasMessage("the base base.json and the contender new.json are the same run (both started at"
                        + " 2026-01-01T00:00:00Z): a run compared with itself always shows no change; compare with a"
                        + " run of the other side");
    }

    @Test
    void filesOfDifferentSchemaVersionsAreRefusedNamingBoth() {
        RunResult a = run("a");
        RunResult newer = new RunResult(a.schemaVersion() + 1, a.run(), a.target(), a.trials(), false);
        assertThatThrownBy(() -> check(a, newer))
                .isInstanceOf(ResultFormatException.class)
                .hasMessage("base.json has schemaVersion " + a.schemaVersion() + " but new.json has "
                        + newer.schemaVersion()
                        + ": compare files written by the same harness version (re-run the older side)");
    }

    @Test
    void aSharedMetricInOtherUnitsIsRefused() {
        RunResult a = run("a");
        String json = ResultJson.toJson(a);
        String firstMetric =
                json.substring(json.indexOf("\"metrics\" : {") + 15).strip();
        String name = firstMetric.substring(1, firstMetric.indexOf('"', 1));
        RunResult b =
                ResultJson.parse(json.replaceFirst("\"histogramUnit\" : \"ns\"", "\"histogramUnit\" : \"us\""), "b");
        assertThatThrownBy(() -> check(a, b))
                .isInstanceOf(ResultFormatException.class)
                .hasMessageContaining(
                        "metric " + name + " of trial " + a.trials().get(0).id()
                                + " is in ms (histogram in ns) in base.json but in ms (histogram in us) in new.json");
    }

    @Test
    void theFileApiChecksTheInputsAsTheCommandDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        RunResult a = run("a");
        java.nio.file.Path base = dir.resolve("base.json");
        java.nio.file.Path other = dir.resolve("other.json");
        ResultJson.write(a, base);
        ResultJson.write(new RunResult(a.schemaVersion(), a.run(), a.target(), java.util.List.of(), false), other);
        // Comparison.compareFiles is the documented way in from code: the same one-line refusal as
        // llmh compare, not a comparison of a file that has nothing to compare.
        assertThatThrownBy(() -> Comparison.compareFiles(List.of(base), List.of(other), CompareOptions.defaults()))
                .isInstanceOf(ResultFormatException.class)
                .hasMessageStartingWith(other + " has no trials");
    }
}
