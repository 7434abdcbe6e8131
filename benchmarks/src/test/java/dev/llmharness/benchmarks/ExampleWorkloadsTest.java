package dev.llmharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Distribution;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example's workload prepares as {@code llmh run} prepares it (fixture files read from the
 * class path, filters applied, lengths checked), and its benchmark method builds requests from the
 * prompts.
 */
class ExampleWorkloadsTest {

    static Stream<Arguments> trials() {
        List<Arguments> all = new ArrayList<>();
        for (BenchmarkSuite suite : ExampleSuitesTest.discovered().values()) {
            for (TrialSpec trial : suite.trials()) {
                all.add(Arguments.of(trial.id(), suite, trial));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trials")
    void workloadPreparesAndTheMethodBuildsARequestFromEachPrompt(String id, BenchmarkSuite suite, TrialSpec trial) {
        PromptSource prompts = PromptSources.forWorkload(trial.workload(), trial.seed());
        RequestFactory factory = suite.prepare(trial);
        for (long i = 0; i < 20; i++) {
            Prompt prompt = prompts.prompt(i);
            assertThat(prompt.index()).isEqualTo(i);
            assertThat(prompt.text()).isNotBlank();
            assertThat(prompt.inputTokens()).isPositive();
            assertThat(prompt.outputTokens()).isPositive();
            assertThat(prompt.exactOutput()).isTrue();
            LlmRequest request = factory.create(prompt);
            assertThat(request).isNotNull();
        }
        assertThat(prompts.prompt(7))
                .as("the same seed and index give the same prompt")
                .isEqualTo(PromptSources.forWorkload(trial.workload(), trial.seed())
                        .prompt(7));
    }

    static Stream<Arguments> shapeTrials() {
        return trials().filter(a -> ((TrialSpec) a.get()[2]).workload() instanceof ShapeWorkload);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeTrials")
    void tokenShapesGiveTheDeclaredLengths(String id, BenchmarkSuite suite, TrialSpec trial) {
        ShapeWorkload shape = (ShapeWorkload) trial.workload();
        PromptSource prompts = PromptSources.forWorkload(shape, trial.seed());
        for (long i = 0; i < 20; i++) {
            Prompt prompt = prompts.prompt(i);
            assertLength(prompt.inputTokens(), shape.input());
            assertLength(prompt.outputTokens(), shape.output());
        }
    }

    private static void assertLength(int tokens, LengthSpec spec) {
        if (spec.distribution() == Distribution.FIXED) {
            assertThat(tokens).isEqualTo(spec.value());
        } else {
            assertThat(tokens).isBetween(spec.min(), spec.max());
        }
    }
}
