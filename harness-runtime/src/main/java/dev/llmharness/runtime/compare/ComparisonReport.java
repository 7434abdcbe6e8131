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
 * @param onlyInBase ids of trials only the base has: listed, not compared, so not gated (counted on
 *     the first line; {@code --fail-on inconclusive} fails on them)
 * @param onlyInContender ids of trials only the contender has
 * @param environmentDifferences one line per difference between the sides' environments (target
 *     url and model, harness version and build, CPU count, JVM; a trial's load, workload, seed,
 *     warmup and window: {@code TrialFields}), each with what it can explain where it says
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
    /**
     * Exit code: a gated regression (or, with {@code --fail-on inconclusive}, a gated metric that
     * could not be decided or a base trial not compared).
     */
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
     * @param gatedElsewhere gated metrics that the gate decided on another statistic in their place
     *     (a gated p90 that could not be decided, gated on the median), the rows whose {@link
     *     MetricComparison#gatedOn} is set
     */
    public record Summary(
            int trialsCompared,
            int gatedRegressions,
            int gatedInconclusive,
            int regressions,
            int improvements,
            int noChange,
            int inconclusive,
            int gatedElsewhere) {}

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

    /**
     * Gated percentiles that were gated on a lower percentile instead (a p90 on the p50, say, when
     * the base cannot decide the p90), as (trial, the row of the percentile replaced), in report
     * order. The gate judged them on another statistic: a change of the replaced percentile alone
     * goes unnoticed, so they are counted on the first line ({@link #headline()}).
     */
    public List<Finding> gatedOnALowerPercentile() {
        List<Finding> found = new ArrayList<>();
        for (TrialComparison t : trials) {
            for (MetricComparison m : t.metrics()) {
                if (lowerPercentileNote(m) != null) {
                    found.add(new Finding(t, m));
                }
            }
        }
        return found;
    }

    /**
     * The note of a row whose gated percentile was gated on a lower one ({@link
     * MetricComparison#gatedOn}), e.g. {@code "gated on ttft.p50 instead (the base's runs spread
     * ±21.3 % at ttft.p90, more than its 10 % threshold)"}, or {@code null} for any other row. The
     * field decides; the reason gives the words, or the field alone when the reason lacks them.
     */
    static String lowerPercentileNote(MetricComparison m) {
        if (m.gatedOn() == null) {
            return null;
        }
        String plain = "gated on " + m.gatedOn() + " instead";
        int at = m.reason().indexOf("; " + plain);
        if (at < 0) {
            return plain;
        }
        String note = m.reason().substring(at + 2);
        // A later check (the harness-limited one) may have appended its own clause.
        for (String clause : new String[] {", but ", "; it stands although "}) {
            int end = note.indexOf(clause);
            note = end < 0 ? note : note.substring(0, end);
        }
        return note;
    }

    /**
     * What the gate left unjudged, one phrase each, in the order the first line gives them: gated
     * metrics that could not be decided, base trials not compared, gated percentiles gated on a
     * lower one; empty when the gate judged everything it gates. E.g. {@code ["2 gated metrics
     * could not be decided", "1 baseline trial not compared"]}.
     */
    public List<String> unjudged() {
        return Cells.unjudged(this);
    }

    /** One metric of one trial. */
    public record Finding(TrialComparison trial, MetricComparison metric) {}

    /**
     * The verdict in one line, as the report's first line says it, with everything the gate left
     * unjudged ({@link #unjudged()}): {@code "REGRESSION: 2 gated regressions (...)"}, {@code "NO
     * GATED REGRESSION, but 3 gated metrics could not be decided; 1 baseline trial not compared"},
     * {@code "NO GATED REGRESSION"}...
     */
    public String headline() {
        return Cells.headline(this, "");
    }

    /**
     * The process exit code for this report: {@link #EXIT_INPUT_ERROR} when no trials are in
     * common, else {@link #EXIT_INCOMPARABLE} when {@link #incomparable()}, else {@link
     * #EXIT_REGRESSION} when a gated verdict fails under {@code failOn} (under {@link
     * FailOn#INCONCLUSIVE}, a gated metric that could not be decided or a base trial not compared
     * fails too: neither shows that there is no regression), else {@link #EXIT_OK}.
     */
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
                return summary.gatedRegressions() + summary.gatedInconclusive() + onlyInBase.size() > 0
                        ? EXIT_REGRESSION
                        : EXIT_OK;
            default:
                return summary.gatedRegressions() > 0 ? EXIT_REGRESSION : EXIT_OK;
        }
    }
}
