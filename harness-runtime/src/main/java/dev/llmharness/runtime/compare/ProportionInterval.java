package dev.llmharness.runtime.compare;

/**
 * Confidence intervals for proportions: Wilson's score interval for one, and Newcombe's hybrid
 * score interval (method 10 of Newcombe, 1998) for the difference of two independent ones. Both
 * behave well near 0, where error rates live and the normal approximation fails.
 */
final class ProportionInterval {
    private ProportionInterval() {}

    /** Wilson interval {low, high} of {@code successes / n}; n >= 1. */
    static double[] wilson(long successes, long n, double z) {
        double p = (double) successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * StrictMath.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** Newcombe interval {low, high} of {@code p2 - p1}, p1 = x1 / n1, p2 = x2 / n2; n1, n2 >= 1. */
    static double[] newcombeDifference(long x1, long n1, long x2, long n2, double z) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double[] w1 = wilson(x1, n1, z);
        double[] w2 = wilson(x2, n2, z);
        double d = p2 - p1;
        double low = d - StrictMath.sqrt(square(p2 - w2[0]) + square(w1[1] - p1));
        double high = d + StrictMath.sqrt(square(w2[1] - p2) + square(p1 - w1[0]));
        return new double[] {low, high};
    }

    /** The standard normal quantile for a two-sided interval of the given confidence. */
    static double zFor(double confidence) {
        return inverseNormal(1 - (1 - confidence) / 2);
    }

    private static double square(double x) {
        return x * x;
    }

    /** Acklam's rational approximation of the normal quantile (relative error below 1.2e-9). */
    static double inverseNormal(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        double[] a = {
            -39.69683028665376,
            220.9460984245205,
            -275.9285104469687,
            138.3577518672690,
            -30.66479806614716,
            2.506628277459239
        };
        double[] b = {-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572};
        double[] c = {
            -0.007784894002430293,
            -0.3223964580411365,
            -2.400758277161838,
            -2.549732539343734,
            4.374664141464968,
            2.938163982698783
        };
        double[] d = {0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416};
        double low = 0.02425;
        if (p < low) {
            double q = StrictMath.sqrt(-2 * StrictMath.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
