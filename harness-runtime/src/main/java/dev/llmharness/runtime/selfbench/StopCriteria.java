package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.result.HarnessLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a step counts as "the harness fell behind". A step is clean when none of these holds:
 *
 * <ul>
 *   <li>token events read below {@code minAchievedFraction} of those offered (when known), or, for
 *       an open loop, requests completed below that fraction of those its schedule placed in the
 *       window ({@link StepFigures#scheduledRate}; a Poisson schedule's count is not the nominal
 *       rate's);
 *   <li>the step is harness-limited: more of its requests started later than 1 ms than {@code
 *       llmh run} allows a trial ({@link HarnessLimit}, the same rule), or none was measured;
 *   <li>TTFT error p99 above {@code maxTtftErrorP99Nanos}, or no request matched the ground truth;
 *   <li>any measured request failed.
 * </ul>
 *
 * @param minAchievedFraction in (0, 1]
 * @param maxTtftErrorP99Nanos {@code > 0}
 */
public record StopCriteria(double minAchievedFraction, long maxTtftErrorP99Nanos) implements StepCriteria {
    /** 95 % of the offered load, not harness-limited, TTFT error p99 0.5 ms. */
    public static final StopCriteria DEFAULT = new StopCriteria(0.95, 500_000L);

    public StopCriteria {
        if (!(minAchievedFraction > 0 && minAchievedFraction <= 1)) {
            throw new IllegalArgumentException("minAchievedFraction must be in (0, 1], got " + minAchievedFraction);
        }
        if (maxTtftErrorP99Nanos <= 0) {
            throw new IllegalArgumentException("limits must be > 0 ns");
        }
    }

    /** Why the step is not clean, one phrase per broken criterion; empty when it is clean. */
    @Override
    public List<String> problems(StepFigures s) {
        List<String> p = new ArrayList<>();
        if (!Double.isNaN(s.offeredTokenEventsPerSecond())
                && s.tokenEventsPerSecond() < minAchievedFraction * s.offeredTokenEventsPerSecond()) {
            p.add(String.format(
                    Locale.ROOT,
                    "token events %.0f/s < %.0f %% of %.0f/s offered",
                    s.tokenEventsPerSecond(),
                    minAchievedFraction * 100,
                    s.offeredTokenEventsPerSecond()));
        }
        if ("open".equals(s.load())) {
            String achieved = achievedShort(s, minAchievedFraction);
            if (achieved != null) {
                p.add(achieved);
            }
        }
        HarnessLimit limit = s.harnessLimit();
        if (limit == null || limit.measuredRequests() == 0) {
            p.add("no request was sent");
        } else if (limit.limited()) {
            p.add("harness-limited: " + limit.describe());
        }
        if (Double.isNaN(s.ttftErrorP99())) {
            p.add("no request matched the simulator's ground truth");
        } else if (s.ttftErrorP99() > maxTtftErrorP99Nanos / 1e6) {
            p.add(String.format(
                    Locale.ROOT, "TTFT error p99 %.3f ms > %.3f ms", s.ttftErrorP99(), maxTtftErrorP99Nanos / 1e6));
        }
        if (s.failedRequests() > 0) {
            p.add(s.failedRequests() + " requests failed");
        }
        return p;
    }

    /**
     * "achieved X req/s < F % of Y req/s scheduled (nominal Z)" when the requests completed per second
     * fall below {@code fraction} of those the schedule placed in the window; {@code null} when they
     * do not, or when the scheduled rate is unknown.
     */
    static String achievedShort(StepFigures s, double fraction) {
        double scheduled = Double.isNaN(s.scheduledRate()) ? s.offeredRate() : s.scheduledRate();
        if (Double.isNaN(scheduled) || s.achievedRate() >= fraction * scheduled) {
            return null;
        }
        boolean same = Double.isNaN(s.offeredRate()) || Math.abs(scheduled - s.offeredRate()) < 1e-9;
        return String.format(
                Locale.ROOT,
                "achieved %.1f req/s < %.0f %% of %.1f req/s scheduled%s",
                s.achievedRate(),
                fraction * 100,
                scheduled,
                same ? "" : String.format(Locale.ROOT, " (nominal %.1f)", s.offeredRate()));
    }
}
