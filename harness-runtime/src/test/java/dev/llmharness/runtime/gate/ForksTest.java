package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Fork;
import dev.llmharness.runtime.testing.FixedSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code @Fork} is read off the benchmark class itself, through the suite's class loader, as {@code
 * llmh gate} and the bench profile do before their first run: the annotation's value is the number
 * of runs a side, a class without one runs once, and a class that cannot be loaded is no reason to
 * stop.
 */
class ForksTest {
    @Fork(3)
    static final class ThreeRuns {}

    static final class NoFork {}

    private static FixedSuite suiteOf(String className) {
        return new FixedSuite(className, List.of(), ChatRequest::of);
    }

    @Test
    void theClassesForkIsTheNumberOfRunsASide() {
        assertThat(GateCommand.forksOf(suiteOf(ThreeRuns.class.getName()))).isEqualTo(3);
    }

    @Test
    void aClassWithoutForkRunsOnce() {
        assertThat(GateCommand.forksOf(suiteOf(NoFork.class.getName()))).isEqualTo(1);
    }

    @Test
    void aClassThatCannotBeLoadedRunsOnce() {
        assertThat(GateCommand.forksOf(suiteOf("com.example.NotOnTheClassPath")))
                .isEqualTo(1);
    }
}
