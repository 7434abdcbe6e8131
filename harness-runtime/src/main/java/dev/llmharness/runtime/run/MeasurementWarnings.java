package dev.llmharness.runtime.run;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TokenTotals;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Warnings about what a trial could not measure, or measured differently from what it intended: a
 * trial that completed nothing, completions that carried no content (so TTFT and friends have no
 * samples), an objective with nothing to judge, and token counts where the server and the workload
 * disagree by more than {@link #TOKEN_MISMATCH_BOUND}. Each names the cause and what to check.
 */
final class MeasurementWarnings {
    /**
     * Relative difference between the intended and the server-reported token totals above which a
     * trial is warned: {@code |server - intended| > 0.10 * intended}, over the completed requests
     * that have both (input: every such request; output: requests whose length was enforced).
     * A chat template adds a few tokens per message (llama.cpp turned 128 intended tokens into 163),
     * which 10 % tolerates for prompts of a few hundred tokens and more.
     */
    static final double TOKEN_MISMATCH_BOUND = 0.10;

    private MeasurementWarnings() {}

    /**
     * @param m the trial's totals
     * @param ttftSamples requests with a first content event (the {@code ttft} count)
     * @param slo the verdicts, whose {@code actual} is {@code null} when nothing was measured
     */
    static List<String> of(TrialMetrics m, long ttftSamples, List<TrialResult.SloVerdict> slo) {
        return of(m, ttftSamples, slo, null);
    }

    /**
     * As above, with what the server's tokenizer said before the trial ({@code null}: it has none),
     * which splits an input difference into the tokenizer's and the chat template's shares.
     */
    static List<String> of(
            TrialMetrics m,
            long ttftSamples,
            List<TrialResult.SloVerdict> slo,
            dev.llmharness.runtime.tokenize.ServerTokenCheck check) {
        List<String> w = new ArrayList<>();
        if (m.sent() > 0 && m.completed() == 0) {
            w.add("nothing was measured: none of the " + m.sent() + " requests completed (" + m.failed() + " failed, "
                    + m.cancelled() + " cancelled); latency and throughput figures are empty");
        } else if (m.completed() > 0 && ttftSamples == 0) {
            w.add("nothing was measured: the " + m.completed() + " completed requests carried no content event ("
                    + m.outputTokens() + " output tokens), so TTFT, ITL, TPOT and E2E have no samples; check"
                    + " that the server streams content deltas (docs/metrics.md, content events)");
        } else if (ttftSamples < m.completed()) {
            w.add((m.completed() - ttftSamples) + " of " + m.completed() + " completed requests carried no content"
                    + " event: they have no TTFT, ITL, TPOT or E2E");
        } else if (m.completed() > 0 && m.outputTokens() == 0) {
            w.add("the " + m.completed() + " completed requests produced 0 output tokens by " + m.tokenSource()
                    + ": output throughput and TPOT measure nothing");
        }
        for (TrialResult.SloVerdict v : slo) {
            // A verdict that passed with nothing to judge (the throughput objective, offered too few
            // requests in a window) is not a failure to warn about.
            if (v.actual() == null && !v.passed()) {
                w.add("the objective \"" + v.objective() + "\" had nothing to judge and fails as not measured: "
                        + needs(v));
            }
        }
        TokenTotals t = m.tokenTotals();
        if (t != null) {
            // Prompts sized in the server's tokenizer differ from the encoding's count by design.
            boolean sized = check != null && check.sized();
            String sent = sized || t.clientInputRequests() != t.intendedInputRequests()
                    ? null
                    : mismatch(t.intendedInput(), t.clientInput());
            if (sent != null) {
                w.add("the requests as sent carried " + t.clientInput() + " input tokens by the harness's count"
                        + " where the workload intended " + t.intendedInput() + " (" + sent + ", "
                        + t.clientInputRequests() + " requests): the benchmark method adds to the prompts (a system"
                        + " message, instructions) or replaces them; tokens.clientInput keeps the harness's count");
            }
            long added = sized ? 0 : t.addedInput();
            String addedShare = added == 0
                    ? ""
                    : String.format(Locale.ROOT, "%+d", added) + " the benchmark method added (client-counted), ";
            String input = mismatch(t.pairedIntendedInput(), t.pairedServerInput());
            if (input != null && check == null) {
                w.add("the server counted " + t.pairedServerInput() + " input tokens where the workload intended "
                        + t.pairedIntendedInput() + " (" + input + ", " + t.pairedInputRequests() + " requests): "
                        + addedShare + "the rest is its tokenizer or chat template, which differ from the trial's"
                        + " encoding; input figures use the server's count, tokens.intendedInput keeps the"
                        + " workload's");
            } else if (input != null) {
                long diff = t.pairedServerInput() - t.pairedIntendedInput();
                long template = check.templateTokens(
                        t.pairedInputRequests(), t.pairedIntendedInput() + added, t.pairedServerInput());
                long tokenizer = diff - template - added;
                w.add("the server counted " + t.pairedServerInput() + " input tokens where the workload intended "
                        + t.pairedIntendedInput() + " (" + input + ", " + t.pairedInputRequests() + " requests): "
                        + addedShare
                        + String.format(Locale.ROOT, "%+d", template) + " are the chat template ("
                        + String.format(Locale.ROOT, "%.1f", (double) template / t.pairedInputRequests())
                        + " per request), " + String.format(Locale.ROOT, "%+d", tokenizer) + " the tokenizer ("
                        + check.endpoint() + (check.sized() ? ", prompts sized in it" : "")
                        + ")" + (check.sized() ? "" : "; --tokenizer server sizes prompts in the server's tokenizer")
                        + "; input figures use the server's count, tokens.intendedInput keeps the workload's");
            }
            String output = mismatch(t.exactRequestedOutput(), t.exactServerOutput());
            if (output != null) {
                w.add("the server reported " + t.exactServerOutput() + " output tokens where "
                        + t.exactRequestedOutput()
                        + " were requested with an enforced length (" + output + ", " + t.exactOutputRequests()
                        + " requests): it does not honour ignore_eos / min_tokens, or counts differently");
            }
        }
        return w;
    }

    /** {@code "+27.3 %"} when the two differ by more than the bound, else {@code null}. */
    private static String mismatch(long intended, long server) {
        if (intended <= 0 || Math.abs(server - intended) <= TOKEN_MISMATCH_BOUND * intended) {
            return null;
        }
        return String.format(Locale.ROOT, "%+.1f %%", 100.0 * (server - intended) / intended);
    }

    /** What the objective's metric needs to have a sample, read from the verdict's fields. */
    private static String needs(TrialResult.SloVerdict v) {
        if (v.perWindow()) {
            return "it needs a window in which a request completed or failed";
        }
        Metric metric =
                v.boundMetric() == null ? null : Metric.byKey(v.boundMetric()).orElse(null);
        if (metric == null) {
            return "its metric has no samples";
        }
        return switch (metric) {
            case TTFT, E2E -> "it needs a completed request with content";
            case TPOT -> "it needs a completed request with 2 or more output tokens";
            case ITL -> "it needs a completed request with 2 or more content events";
            case ERROR_RATE -> "it needs a request that completed or failed";
            default -> "its metric has no samples";
        };
    }
}
