package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.FailureLog;
import dev.llmharness.runtime.metrics.TokenTotals;
import dev.llmharness.runtime.metrics.TrialMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what the recorder measured ({@code metrics} types) into the result file's records. */
public final class ResultRecords {
    private ResultRecords() {}

    /** The failure messages of a trial, by category key. */
    public static Map<String, TrialResult.FailureMessages> failureMessages(Map<String, FailureLog.Messages> log) {
        Map<String, TrialResult.FailureMessages> out = new LinkedHashMap<>();
        log.forEach((category, m) -> {
            List<TrialResult.FailureMessage> list = new ArrayList<>();
            for (FailureLog.Message one : m.messages()) {
                list.add(new TrialResult.FailureMessage(one.message(), one.example(), one.count()));
            }
            out.put(category, new TrialResult.FailureMessages(list, m.others()));
        });
        return out;
    }

    /** The token totals of a trial: the figures the metrics use, and each source apart. */
    public static TrialResult.Tokens tokens(TrialMetrics m) {
        return tokens(m, null);
    }

    /**
     * As {@link #tokens(TrialMetrics)}, with what the server's tokenizer said before the trial
     * ({@code null}: nothing).
     */
    public static TrialResult.Tokens tokens(TrialMetrics m, dev.llmharness.runtime.tokenize.ServerTokenCheck check) {
        TokenTotals t = m.tokenTotals();
        String tokenizer = check == null ? null : check.endpoint() + (check.sized() ? " (sized)" : "");
        Long template = check == null || t.pairedInputRequests() == 0
                ? null
                : check.templateTokens(
                        t.pairedInputRequests(),
                        t.pairedIntendedInput() + (check.sized() ? 0 : t.addedInput()),
                        t.pairedServerInput());
        return new TrialResult.Tokens(
                m.inputTokens(),
                m.outputTokens(),
                m.requestedOutputTokens(),
                m.tokenSource(),
                t.intendedInputRequests() == 0 ? null : t.intendedInput(),
                t.serverInputRequests() == 0 ? null : t.serverInput(),
                t.countedOutputRequests() == 0 ? null : t.countedOutput(),
                t.serverOutputRequests() == 0 ? null : t.serverOutput(),
                tokenizer,
                template,
                t.clientInputRequests() == 0 ? null : t.clientInput());
    }
}
