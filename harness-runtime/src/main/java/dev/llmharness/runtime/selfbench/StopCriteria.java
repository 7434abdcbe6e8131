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
 *       an open loop, requests completed below that fraction of the rate;
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
        if ("open".equals(s.load()) && s.achievedRate() < minAchievedFraction * s.offeredRate()) {
            p.add(String.format(
                    Locale.ROOT,
                    "achieved %.1f req/s < %.0f %% of %.1f req/s offered",
                    s.achievedRate(),
                    minAchievedFraction * 100,
                    s.offeredRate()));
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
}
