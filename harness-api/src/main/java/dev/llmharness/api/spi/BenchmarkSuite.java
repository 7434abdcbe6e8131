package dev.llmharness.api.spi;

import java.util.List;

/**
 * The trials of one benchmark class, implemented by the runner the annotation processor generates
 * and registered under {@code META-INF/services/dev.llmharness.api.spi.BenchmarkSuite}.
 */
public interface BenchmarkSuite {
    /** Fully qualified name of the benchmark class. */
    String benchmarkClass();

    /** Every trial of the class: the cross product of array attributes and {@code @Param} values. */
    List<TrialSpec> trials();

    /**
     * Creates a fresh instance of the benchmark class, sets its {@code @Param} fields to the
     * trial's values and returns the factory that calls the trial's benchmark method directly.
     *
     * @throws IllegalArgumentException if {@code trial} is not one of {@link #trials()}
     */
    RequestFactory prepare(TrialSpec trial);
}
