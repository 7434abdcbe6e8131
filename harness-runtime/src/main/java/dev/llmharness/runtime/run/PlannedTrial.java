package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.TrialSpec;

/**
 * A trial selected for a run: the suite that declares it and the trial as declared (before
 * run-time overrides; {@link BenchmarkSuite#prepare} is called with this one).
 */
public record PlannedTrial(BenchmarkSuite suite, TrialSpec declared) {}
