package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.Direction;

/**
 * One metric of one trial, base against contender.
 *
 * @param metric the metric name, e.g. {@code "ttft.p99"}, {@code "outputTokensPerSecond"}, {@code
 *     "errorRate"}
 * @param gated whether a REGRESSION of this metric fails the comparison
 * @param direction which way the metric improves
 * @param unit unit of {@link #base} and {@link #contender}: {@code "ms"}, {@code "tokens"}, {@code
 *     "tokens/s"}, {@code "requests/s"}, or {@code "ratio"} (error rate, in [0, 1])
 * @param base the base value (pooled over the base files), {@code null} when not measured
 * @param contender the contender value, {@code null} when not measured
 * @param changeKind {@code "ratio"}: {@link #change} is {@code contender / base - 1}; {@code
 *     "difference"} (error rate): it is {@code contender - base}
 * @param change the point estimate of the change, {@code null} when it cannot be computed
 * @param changeLow lower end of the confidence interval of the change, or {@code null}
 * @param changeHigh upper end of the confidence interval of the change, or {@code null}
 * @param threshold the noise threshold: a fraction of the base value for ratios, an absolute
 *     difference for the error rate
 * @param verdict the verdict, direction-aware: for throughput a lower contender is a regression
 * @param reason why this verdict, in words
 * @param baseSamples effective sample size of the base: requests for latencies (for ITL too),
 *     seconds of timeline for throughput, completed plus failed requests for the error rate
 * @param contenderSamples effective sample size of the contender, likewise
 * @param gatedOn the statistic the gate decided on in place of this one, when this metric was
 *     gated but could not be decided (too few samples, or an interval too wide for its threshold;
 *     docs/compare.md): its name (e.g. {@code "ttft.p50"} for a gated {@code ttft.p90}), and this
 *     row is then no longer gated; {@code null} when the gate used this metric as asked, or does
 *     not gate it
 */
public record MetricComparison(
        String metric,
        boolean gated,
        Direction direction,
        String unit,
        Double base,
        Double contender,
        String changeKind,
        Double change,
        Double changeLow,
        Double changeHigh,
        double threshold,
        Verdict verdict,
        String reason,
        long baseSamples,
        long contenderSamples,
        String gatedOn) {

    /** A comparison that the gate used as asked ({@link #gatedOn} {@code null}). */
    public MetricComparison(
            String metric,
            boolean gated,
            Direction direction,
            String unit,
            Double base,
            Double contender,
            String changeKind,
            Double change,
            Double changeLow,
            Double changeHigh,
            double threshold,
            Verdict verdict,
            String reason,
            long baseSamples,
            long contenderSamples) {
        this(
                metric,
                gated,
                direction,
                unit,
                base,
                contender,
                changeKind,
                change,
                changeLow,
                changeHigh,
                threshold,
                verdict,
                reason,
                baseSamples,
                contenderSamples,
                null);
    }

    /** Whether the gate decided on another statistic in this gated metric's place ({@link #gatedOn}). */
    public boolean gatedElsewhere() {
        return gatedOn != null;
    }

    /** This comparison, no longer gated, its reason followed by {@code note}. */
    MetricComparison ungated(String note) {
        return replacedBy(gatedOn, note);
    }

    /**
     * This comparison, no longer gated because the gate decides on {@code statistic} in its place
     * ({@link #gatedOn}), its reason followed by {@code note}.
     */
    MetricComparison replacedBy(String statistic, String note) {
        return new MetricComparison(
                metric,
                false,
                direction,
                unit,
                base,
                contender,
                changeKind,
                change,
                changeLow,
                changeHigh,
                threshold,
                verdict,
                reason + "; " + note,
                baseSamples,
                contenderSamples,
                statistic);
    }

    /** This comparison with another verdict and reason. */
    MetricComparison withVerdict(Verdict newVerdict, String newReason) {
        return new MetricComparison(
                metric,
                gated,
                direction,
                unit,
                base,
                contender,
                changeKind,
                change,
                changeLow,
                changeHigh,
                threshold,
                newVerdict,
                newReason,
                baseSamples,
                contenderSamples,
                gatedOn);
    }

    /** This comparison, gated. */
    MetricComparison asGated() {
        return new MetricComparison(
                metric,
                true,
                direction,
                unit,
                base,
                contender,
                changeKind,
                change,
                changeLow,
                changeHigh,
                threshold,
                verdict,
                reason,
                baseSamples,
                contenderSamples,
                gatedOn);
    }

    /** This comparison, its reason preceded by {@code note}. */
    MetricComparison noted(String note) {
        return new MetricComparison(
                metric,
                gated,
                direction,
                unit,
                base,
                contender,
                changeKind,
                change,
                changeLow,
                changeHigh,
                threshold,
                verdict,
                note + reason,
                baseSamples,
                contenderSamples,
                gatedOn);
    }

    /**
     * Whether the interval rules out a regression beyond the threshold: its worse end stays within
     * it. The gate asks one question, "worse by more than the threshold?", so an INCONCLUSIVE whose
     * interval only straddles the improvement side has answered it: it is decided for the gate.
     */
    public boolean regressionRuledOut() {
        if (verdict == Verdict.REGRESSION) {
            return false;
        }
        if (verdict != Verdict.INCONCLUSIVE) {
            return true;
        }
        if (changeLow == null || changeHigh == null) {
            return false;
        }
        if ("difference".equals(changeKind) || direction == Direction.LOWER_IS_BETTER) {
            return direction == Direction.LOWER_IS_BETTER ? changeHigh <= threshold : changeLow >= -threshold;
        }
        // A ratio that improves upwards: worse means a factor below 1 / (1 + threshold).
        return changeLow + 1 >= 1 / (1 + threshold);
    }

    /** Whether this is a gated metric the gate could not decide: its interval straddles the worse threshold. */
    public boolean gateUndecided() {
        return gated && verdict == Verdict.INCONCLUSIVE && !regressionRuledOut();
    }

    /** Whether the contender is worse than the base by the point estimate (regardless of noise). */
    public boolean worseByPointEstimate() {
        if (change == null || change == 0) {
            return false;
        }
        return direction == Direction.LOWER_IS_BETTER ? change > 0 : change < 0;
    }
}
