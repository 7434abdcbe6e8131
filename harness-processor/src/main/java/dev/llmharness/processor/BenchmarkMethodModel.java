package dev.llmharness.processor;

import dev.llmharness.api.spi.TrialSpec;
import java.util.List;

/**
 * One {@code @Benchmark} method and the trials it expands into.
 *
 * @param name the method's simple name, unique within its class
 * @param takesPrompt whether the method declares a {@code Prompt} parameter
 * @param trials its trials in expansion order, at least one
 */
record BenchmarkMethodModel(String name, boolean takesPrompt, List<TrialSpec> trials) {
    BenchmarkMethodModel {
        trials = List.copyOf(trials);
    }
}
