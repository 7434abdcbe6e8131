package dev.llmharness.benchmarks;

import dev.llmharness.api.spi.TrialSpec;

/**
 * Prints the trials of the example benchmarks. It refers to the suite the annotation processor
 * generates from {@link ChatBenchmarks}, so this module does not compile unless the processor ran.
 */
public final class ExampleTrials {
    private ExampleTrials() {}

    public static void main(String[] args) {
        for (TrialSpec trial : new ChatBenchmarks_BenchmarkSuite().trials()) {
            System.out.println(trial.id());
        }
    }
}
