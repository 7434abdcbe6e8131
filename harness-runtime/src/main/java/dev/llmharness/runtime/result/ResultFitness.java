package dev.llmharness.runtime.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a result deserves trust as a baseline: the one place that decides. A result is unfit when
 * one of its trials is harness-limited ({@code trials[].harnessLimit}: too many requests started
 * late, see {@link HarnessLimit}; the figures then describe the load generator, not the server),
 * when more than {@link #MAX_ERROR_RATE} of a trial's requests failed, when a trial measured no
 * request at all (nothing to compare with), or when the run was interrupted. Promoting a baseline refuses an unfit result unless forced; {@code llmh compare}
 * warns per side.
 */
public final class ResultFitness {
    /** Above this error rate in a trial, a result is failed beyond the bound a baseline allows. */
    public static final double MAX_ERROR_RATE = 0.05;

    private ResultFitness() {}

    /** One line per problem (empty when the result is fit), each naming the trial. */
    public static List<String> problems(RunResult result) {
        List<String> problems = new ArrayList<>();
        if (result.partial()) {
            problems.add("the run was interrupted (partial)");
        }
        if (result.trials().isEmpty()) {
            problems.add("it holds no trials");
        }
        for (TrialResult t : result.trials()) {
            if (t.counts() != null && t.counts().completed() + t.counts().failed() == 0) {
                problems.add("trial " + t.id() + " measured nothing: none of its "
                        + t.counts().sent() + " requests completed or failed");
            }
            if (t.harnessLimited()) {
                problems.add("trial " + t.id() + " is harness-limited: "
                        + t.harnessLimit().describe());
            }
            if (t.errorRate() != null && t.errorRate() > MAX_ERROR_RATE) {
                problems.add(String.format(
                        Locale.ROOT,
                        "trial %s failed beyond the bound: %.1f %% of its requests failed (at most %.0f %%)",
                        t.id(),
                        100 * t.errorRate(),
                        100 * MAX_ERROR_RATE));
            }
        }
        return problems;
    }
}
