package dev.llmharness.runtime.testing;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import java.util.List;

/**
 * A suite of given trials for tests, standing in for one the annotation processor generates: same
 * contract, including the refusal of a trial it does not own.
 *
 * @param benchmarkClass the class the trials claim to belong to
 * @param trials the trials
 * @param factory the request factory of every trial
 */
public record FixedSuite(String benchmarkClass, List<TrialSpec> trials, RequestFactory factory)
        implements BenchmarkSuite {

    public FixedSuite {
        trials = List.copyOf(trials);
    }

    @Override
    public RequestFactory prepare(TrialSpec trial) {
        if (!trials.contains(trial)) {
            throw new IllegalArgumentException("not a trial of this suite: " + trial.id());
        }
        return factory;
    }
}
