package dev.llmharness.runtime.report;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** The console's view of a run: a header, one block per trial with SLO verdicts and warnings, a summary. */
public final class ConsoleReport {
    private ConsoleReport() {}

    /** Names the target and the number of trials. */
    public static void printHeader(PrintStream out, TargetInfo target, int trials) {
        if (target != null) {
            out.printf(
                    Locale.ROOT,
                    "llmh: %d trial(s) against %s (%s, model %s%s)%n",
                    trials,
                    target.url(),
                    target.api(),
                    target.model(),
                    target.simulated() ? ", embedded simulator" : "");
        }
    }

    /** One trial: its throughput and latency table, SLO verdicts and warnings. */
    /**
     * The connections line: what was opened before the load ({@code --preopen}) and what its
     * requests opened themselves; {@code null} when nothing was recorded.
     */
    public static String connections(TrialResult.Connections c) {
        if (c == null) {
            return null;
        }
        String before = c.wanted() == 0
                ? "none opened before the load"
                : c.preopened() + " opened before the load for its peak of " + c.wanted()
                        + (c.failedPreopens() == 0 ? "" : " (" + c.failedPreopens() + " connects failed)");
        return before + ", " + c.openedByRequests() + " by its requests" + (c.basis() == null ? "" : "; " + c.basis());
    }

    public static void printTrial(PrintStream out, TrialResult r) {
        out.println();
        out.println("== " + r.id());
        TrialResult.Counts c = r.counts();
        out.printf(
                Locale.ROOT,
                "   requests: sent %d, completed %d%s, failed %d, cancelled %d   window %.1fs%n",
                c.sent(),
                c.completed(),
                r.window().completedInDrain() == null || r.window().completedInDrain() == 0
                        ? ""
                        : " (" + r.window().completedInDrain() + " after the window)",
                c.failed(),
                c.cancelled(),
                r.window().measurementSeconds());
        String connections = connections(r.window().connections());
        if (connections != null) {
            out.println("   connections: " + connections);
        }
        out.printf(
                Locale.ROOT,
                "   throughput: %.2f req/s, %.1f output tok/s, %.1f total tok/s%s%n",
                r.throughput().requestsPerSecond(),
                r.throughput().outputTokensPerSecond(),
                r.throughput().totalTokensPerSecond(),
                r.throughput().goodputRequestsPerSecond() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", goodput %.2f req/s",
                                r.throughput().goodputRequestsPerSecond()));
        out.printf(
                Locale.ROOT,
                "   %-13s %9s %9s %9s %9s %9s %9s%n",
                "metric (ms)",
                "count",
                "p50",
                "p90",
                "p99",
                "p99.9",
                "max");
        for (Metric metric : Metric.consoleRows()) {
            String name = metric.key();
            MetricResult m = r.metrics().get(name);
            if (m == null) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "   %-13s %9d %9s %9s %9s %9s %9s%n",
                    name,
                    m.count(),
                    num(m.p50()),
                    num(m.p90()),
                    num(m.p99()),
                    num(m.p999()),
                    num(m.max()));
        }
        TrialResult.Tokens t = r.tokens();
        if (t != null && t.serverTokenizer() != null && t.intendedInput() != null && t.serverInput() != null) {
            long template = t.templateInput() == null ? 0 : t.templateInput();
            // What the benchmark method added to the prompts, by the harness's count (not when the
            // prompts were sized in the server's tokenizer: their encoding count differs by design).
            long added = t.clientInput() == null || t.serverTokenizer().endsWith("(sized)")
                    ? 0
                    : t.clientInput() - t.intendedInput();
            long tokenizer = t.serverInput() - t.intendedInput() - template - added;
            out.printf(
                    Locale.ROOT,
                    "   input tokens: intended %d, %sserver %d (%stemplate %+d, tokenizer %+d; %s)%n",
                    t.intendedInput(),
                    added == 0 ? "" : "client " + t.clientInput() + ", ",
                    t.serverInput(),
                    added == 0 ? "" : String.format(Locale.ROOT, "added %+d, ", added),
                    template,
                    tokenizer,
                    t.serverTokenizer());
        }
        for (TrialResult.SloVerdict v : r.slo()) {
            out.printf(
                    Locale.ROOT,
                    "   %s  %s (actual %s)%n",
                    v.passed() ? "PASS" : "FAIL",
                    v.objective(),
                    Analysis.sloActual(v));
        }
        // A shape is read over time: its objectives per window, as a figure (it decides no verdict).
        dev.llmharness.runtime.result.WindowSlo.figure(r)
                .ifPresent(w -> out.println("   over time: " + w.describe() + " (a figure, not an objective)"));
        for (String w : r.warnings()) {
            out.println("   WARNING " + w);
        }
        printFailureMessages(out, r.counts());
    }

    /**
     * Why requests failed: each category's distinct messages with their counts, most frequent first,
     * as the result's {@code counts.failureMessages} holds them.
     */
    static void printFailureMessages(PrintStream out, TrialResult.Counts c) {
        if (c.failureMessages().isEmpty()) {
            return;
        }
        out.println("   failure messages:");
        c.failureMessages().forEach((category, m) -> {
            for (TrialResult.FailureMessage one : m.messages()) {
                out.printf(Locale.ROOT, "     %-16s %7d  %s%n", category, one.count(), one.message());
            }
            if (m.others() > 0) {
                out.printf(
                        Locale.ROOT,
                        "     %-16s %7d  (other messages, beyond the %d kept)%n",
                        category,
                        m.others(),
                        m.messages().size());
            }
        });
    }

    /**
     * Where the result went, whether it is partial, and how many trials the harness itself limited
     * ({@code trials[].harnessLimit}: such a result is no baseline).
     */
    public static void printSummary(PrintStream out, RunResult result, Path file) {
        long failed = result.trials().stream()
                .flatMap(t -> t.slo().stream())
                .filter(v -> !v.passed())
                .count();
        long limited =
                result.trials().stream().filter(TrialResult::harnessLimited).count();
        out.println();
        out.printf(
                Locale.ROOT,
                "%s%d trial(s), %d SLO objective(s) failed%s; result written to %s%n",
                result.partial() ? "PARTIAL (interrupted): " : "",
                result.trials().size(),
                failed,
                limited == 0
                        ? ""
                        : ", " + limited + " harness-limited (llmh promote refuses the result without --force)",
                file);
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
