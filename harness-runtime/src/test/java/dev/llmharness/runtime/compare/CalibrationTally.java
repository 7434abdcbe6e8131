package dev.llmharness.runtime.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a calibration test counts over its synthetic comparisons of one metric with a known true
 * change: how often the interval covered it, how often the verdict was a REGRESSION or an
 * IMPROVEMENT, how wide the intervals were. Also the draws those tests make ({@link #gaussian},
 * {@link #poisson}), one place for them.
 */
final class CalibrationTally {
    int cases;
    int covered;
    int regressions;
    int improvements;
    int aboveZero;
    final List<Double> widths = new ArrayList<>();
    /** Widths of another method's intervals on the same comparisons, for a test that weighs two. */
    final List<Double> twoStageWidths = new ArrayList<>();

    /** Another comparison, whose true change (contender / base − 1) is {@code truth}. */
    void add(MetricComparison m, double truth) {
        cases++;
        boolean interval = m.changeLow() != null && m.changeHigh() != null;
        if (interval && m.changeLow() <= truth && truth <= m.changeHigh()) {
            covered++;
        }
        if (interval) {
            widths.add(m.changeHigh() - m.changeLow());
        }
        if (m.changeLow() != null && m.changeLow() > 0) {
            aboveZero++;
        }
        if (m.verdict() == Verdict.REGRESSION) {
            regressions++;
        } else if (m.verdict() == Verdict.IMPROVEMENT) {
            improvements++;
        }
    }

    double coverage() {
        return (double) covered / cases;
    }

    double regressionRate() {
        return (double) regressions / cases;
    }

    double improvementRate() {
        return (double) improvements / cases;
    }

    double differenceRate() {
        return (double) (regressions + improvements) / cases;
    }

    double aboveZeroRate() {
        return (double) aboveZero / cases;
    }

    double medianWidth() {
        return median(widths);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** A standard normal draw (Box–Muller). */
    static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** A Poisson draw by Knuth's method: exact, and fast enough for means up to about 100. */
    static long poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
