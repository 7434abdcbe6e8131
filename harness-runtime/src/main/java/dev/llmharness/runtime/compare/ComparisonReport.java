package dev.llmharness.runtime.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a comparison; {@link CompareFormat} renders it.
 *
 * @param compareSchemaVersion version of this report's JSON form ({@link #SCHEMA_VERSION})
 * @param baseSources the base files (or labels), in the order given
 * @param contenderSources the contender files (or labels)
 * @param seed resampling seed used
 * @param resamples bootstrap replicates per metric
 * @param confidence two-sided confidence level of the intervals
 * @param strict whether environment differences make the comparison incomparable
 * @param summary verdict counts
 * @param trials trials present on both sides, in base order
 * @param onlyInBase ids of trials only the base has: listed, not compared
 * @param onlyInContender ids of trials only the contender has
 * @param environmentDifferences one line per difference between the sides' environments (target
 *     url and model, harness version, CPU count, JVM, a trial's load)
 * @param warnings anything else the reader should know
 */
public record ComparisonReport(
        int compareSchemaVersion,
        List<String> baseSources,
        List<String> contenderSources,
        long seed,
        int resamples,
        double confidence,
        boolean strict,
        Summary summary,
        List<TrialComparison> trials,
        List<String> onlyInBase,
        List<String> onlyInContender,
        List<String> environmentDifferences,
        List<String> warnings) {

    /** Version of the JSON form of this report. */
    public static final int SCHEMA_VERSION = 1;

    /** Exit code: no gated regression (or {@code --fail-on never}). */
    public static final int EXIT_OK = 0;
    /** Exit code: a gated regression (or a gated INCONCLUSIVE with {@code --fail-on inconclusive}). */
    public static final int EXIT_REGRESSION = 1;
    /** Exit code: usage or input error, including no trials in common. */
    public static final int EXIT_INPUT_ERROR = 2;
    /** Exit code: environments differ under {@code --strict}. */
    public static final int EXIT_INCOMPARABLE = 3;

    /**
     * Verdict counts over all compared metrics of all trials.
     *
     * @param trialsCompared trials present on both sides
     * @param gatedRegressions REGRESSION verdicts of gated metrics: these fail the build
     * @param gatedInconclusive gated metrics the gate could not decide: INCONCLUSIVE with an interval
     *     that straddles the worse threshold ({@link MetricComparison#gateUndecided()})
     * @param regressions all REGRESSION verdicts, gated or not
     * @param improvements all IMPROVEMENT verdicts
     * @param noChange all NO CHANGE verdicts
     * @param inconclusive all INCONCLUSIVE verdicts
     */
    public record Summary(
            int trialsCompared,
            int gatedRegressions,
            int gatedInconclusive,
            int regressions,
            int improvements,
            int noChange,
            int inconclusive) {}

    public ComparisonReport {
        baseSources = List.copyOf(baseSources);
        contenderSources = List.copyOf(contenderSources);
        trials = List.copyOf(trials);
        onlyInBase = List.copyOf(onlyInBase);
        onlyInContender = List.copyOf(onlyInContender);
        environmentDifferences = List.copyOf(environmentDifferences);
        warnings = List.copyOf(warnings);
    }

    /** Whether the two sides have no trial in common (nothing was compared). */
    public boolean noTrialsInCommon() {
        return trials.isEmpty();
    }

    /** Whether the comparison is refused: {@link #strict} and the environments differ. */
    public boolean incomparable() {
        return strict && !environmentDifferences.isEmpty();
    }

    /** Gated metrics with a REGRESSION verdict, as (trial, metric) pairs, in report order. */
    public List<Finding> gatedRegressions() {
        return findings(true, Verdict.REGRESSION);
    }

    /** Every metric with the given verdict, in report order; gated ones only when asked. */
    public List<Finding> findings(boolean gatedOnly, Verdict verdict) {
        List<Finding> found = new ArrayList<>();
        for (TrialComparison t : trials) {
            for (MetricComparison m : t.metrics()) {
                if (m.verdict() == verdict && (!gatedOnly || m.gated())) {
                    found.add(new Finding(t, m));
                }
            }
        }
        return found;
    }

    /** Gated metrics the gate could not decide ({@link MetricComparison#gateUndecided()}), in report order. */
    public List<Finding> gateUndecided() {
        List<Finding> found = new ArrayList<>();
        for (TrialComparison t : trials) {
            for (MetricComparison m : t.metrics()) {
                if (m.gateUndecided()) {
                    found.add(new Finding(t, m));
                }
            }
        }
        return found;
    }

    /** One metric of one trial. */
    public record Finding(TrialComparison trial, MetricComparison metric) {}

    /**
     * The process exit code for this report: {@link #EXIT_INPUT_ERROR} when no trials are in
     * common, else {@link #EXIT_INCOMPARABLE} when {@link #incomparable()}, else {@link
     * #EXIT_REGRESSION} when a gated verdict fails under {@code failOn}, else {@link #EXIT_OK}.
     */
    /**
     * The verdict in one line, as the report's first line says it: {@code "REGRESSION: 2 gated
     * regressions (...)"}, {@code "NO GATED REGRESSION, but 3 gated metrics could not be decided"},
     * {@code "NO GATED REGRESSION"}...
     */
    public String headline() {
        return Cells.headline(this, "");
    }

    public int exitCode(FailOn failOn) {
        if (noTrialsInCommon()) {
            return EXIT_INPUT_ERROR;
        }
        if (incomparable()) {
            return EXIT_INCOMPARABLE;
        }
        switch (failOn) {
            case NEVER:
                return EXIT_OK;
            case INCONCLUSIVE:
                return summary.gatedRegressions() + summary.gatedInconclusive() > 0 ? EXIT_REGRESSION : EXIT_OK;
            default:
                return summary.gatedRegressions() > 0 ? EXIT_REGRESSION : EXIT_OK;
        }
    }
}
