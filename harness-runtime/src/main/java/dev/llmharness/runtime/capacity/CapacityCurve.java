package dev.llmharness.runtime.capacity;

import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of a rate sweep in order of offered rate, and its knee: the highest rate up to which
 * every point held, refined to where the achieved rate falls behind the offered one ({@link
 * #kneeRate}). A point holds when
 *
 * <ol>
 *   <li>its SLOs are met (when it has any),
 *   <li>the server kept pace with the offered rate, by the release gate's throughput rule, the one
 *       rule for it ({@link SweepPoint#keptUp}), and
 *   <li>latency has not bent: its median end-to-end latency is at most {@value #BEND_FACTOR} times
 *       the lowest rate's (median TTFT when no end-to-end latency was measured).
 * </ol>
 *
 * The first point that does not hold ends the search, so a noisy pass above a failure never moves
 * the knee up.
 *
 * @param name what was swept: the trials' id without the rate
 * @param points by offered rate, lowest first
 * @param knee the knee, or {@code null} when even the lowest rate did not hold
 * @param reached whether some point did not hold: {@code false} when every point held, and the
 *     knee is the highest rate tried, a lower bound of the real one
 * @param firstFailure why the first point past the knee did not hold, {@code null} when every
 *     point held
 */
public record CapacityCurve(
        String name, List<SweepPoint> points, SweepPoint knee, boolean reached, String firstFailure) {

    /** Latency bends when its median exceeds the lowest rate's by this factor. */
    public static final double BEND_FACTOR = 2.0;

    /** The curve of the given points (any order). */
    public static CapacityCurve of(String name, List<SweepPoint> unordered) {
        List<SweepPoint> points = new ArrayList<>(unordered);
        points.sort(Comparator.comparingDouble(SweepPoint::offered));
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one point");
        }
        Double base = latency(points.get(0));
        SweepPoint knee = null;
        for (SweepPoint p : points) {
            String why = failure(p, base);
            if (why != null) {
                return new CapacityCurve(name, points, knee, true, why);
            }
            knee = p;
        }
        return new CapacityCurve(name, points, knee, false, null);
    }

    /** Why a point does not hold, or {@code null} when it does. */
    static String failure(SweepPoint p, Double baseLatency) {
        String rate = dev.llmharness.api.spi.TrialSpec.formatRate(p.offered()) + " req/s";
        if (!p.sloPassed()) {
            return rate + ": an SLO was missed";
        }
        if (!p.keptUp()) {
            return String.format(
                    java.util.Locale.ROOT, "%s: achieved %.2f req/s, the server fell behind", rate, p.achieved());
        }
        Double l = latency(p);
        if (baseLatency != null && l != null && l > BEND_FACTOR * baseLatency) {
            return String.format(
                    java.util.Locale.ROOT,
                    "%s: median latency %.1f ms, more than %.0f× the lowest rate's %.1f ms",
                    rate,
                    l,
                    BEND_FACTOR,
                    baseLatency);
        }
        return null;
    }

    /**
     * The knee as a rate: where the achieved rate falls behind the offered one, the capacity the
     * model of a server predicts. Between the last point that held and the first that did not, a
     * grid point rarely sits on it, so when points past the knee fell behind (did not keep pace,
     * {@link SweepPoint#keptUp}, the rule that can end the search), the knee is the highest rate
     * they completed (the throughput the server sustained when pushed past it), kept between the
     * last point that held and the first that did not; otherwise (an SLO missed or latency bent
     * while the server kept pace) it is the last point that held; to 3 significant digits. {@code
     * null} when no point held; the highest rate run when every point held.
     */
    public Double kneeRate() {
        if (knee == null) {
            return null;
        }
        SweepPoint next = null;
        double saturated = 0;
        for (SweepPoint p : points) {
            if (p.offered() > knee.offered()) {
                if (next == null) {
                    next = p;
                }
                if (!p.keptUp()) {
                    saturated = Math.max(saturated, p.achieved());
                }
            }
        }
        if (next == null || saturated == 0) {
            return knee.offered();
        }
        // To 3 significant digits, as the search's rates.
        return new java.math.BigDecimal(Math.min(next.offered(), Math.max(knee.offered(), saturated)))
                .round(new java.math.MathContext(3))
                .doubleValue();
    }

    private static Double latency(SweepPoint p) {
        return p.e2eP50() != null ? p.e2eP50() : p.ttftP50();
    }

    /**
     * One line: {@code "knee: 10 req/s (next: 15 req/s: ...); highest throughput 11.80 req/s"}.
     */
    public String describe() {
        String max = String.format(java.util.Locale.ROOT, "; highest throughput %.2f req/s", maxAchieved());
        if (knee == null) {
            return "no knee: even the lowest rate did not hold (" + firstFailure + "); sweep lower rates" + max;
        }
        String held = dev.llmharness.api.spi.TrialSpec.formatRate(knee.offered()) + " req/s";
        if (!reached) {
            return "knee: " + held
                    + ", the highest rate run: every point held, so the knee is at least that; sweep higher" + max;
        }
        double rate = kneeRate();
        String k = "knee: " + dev.llmharness.api.spi.TrialSpec.formatRate(rate) + " req/s";
        if (rate != knee.offered()) {
            k += " (where achieved fell behind offered; " + held + " held";
        } else {
            k += " (last rate that held";
        }
        return k + "; next: " + firstFailure + ")" + max;
    }

    /** The highest achieved rate of any point: the throughput the server reached. */
    public double maxAchieved() {
        return points.stream().mapToDouble(SweepPoint::achieved).max().orElse(0);
    }

    /**
     * The sweeps among a run's trials: trials at one constant open-loop rate that differ only in
     * their {@code rate} parameter, two or more of them. A manual sweep ({@code @OpenLoop(rate =
     * {...})}) is one as much as {@code llmh sweep}'s.
     */
    public static List<CapacityCurve> sweepsOf(List<TrialResult> trials) {
        Map<String, List<SweepPoint>> groups = new LinkedHashMap<>();
        for (TrialResult t : trials) {
            SweepPoint p = SweepPoint.of(t);
            if (p == null || !t.params().containsKey("rate")) {
                continue;
            }
            groups.computeIfAbsent(nameWithoutRate(t), k -> new ArrayList<>()).add(p);
        }
        List<CapacityCurve> curves = new ArrayList<>();
        groups.forEach((name, points) -> {
            if (points.size() >= 2) {
                curves.add(of(name, points));
            }
        });
        return curves;
    }

    /** The trial's id without its {@code rate} parameter: {@code Chat.chat{temperature=0.7}}. */
    static String nameWithoutRate(TrialResult t) {
        StringBuilder b = new StringBuilder(t.benchmark());
        StringBuilder params = new StringBuilder();
        t.params().forEach((k, v) -> {
            if (!k.equals("rate")) {
                params.append(params.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(v);
            }
        });
        if (params.length() > 0) {
            b.append('{').append(params).append('}');
        }
        return b.toString();
    }
}
