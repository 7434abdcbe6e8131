package dev.llmharness.runtime.tokenize;

import java.util.Locale;

/**
 * What a server's tokenizer said about a trial's prompts before the trial, so that after it the
 * difference between the intended and the server-reported input tokens can be split into the
 * tokenizer's share and the chat template's.
 *
 * @param endpoint the tokenizer asked, e.g. {@code llama.cpp POST /tokenize}
 * @param sized whether prompts were sized in the server's tokenizer ({@code --tokenizer server})
 * @param prompts prompts counted (all sized ones, or the sample)
 * @param intended their intended input tokens, summed
 * @param serverRaw the server's count of their raw text, summed (equals {@code intended} for exact
 *     sized prompts)
 * @param templatePerPrompt tokens the chat template adds per prompt, measured by the server
 *     ({@code messages} count minus raw count, vLLM), or {@code null} when the server cannot say
 * @param exact sized prompts whose server count equals the intended one
 * @param worstOff largest |server - intended| of a sized prompt left inexact
 * @param roundTrips {@code POST /tokenize} requests made
 * @param before for sized prompts, the server's count of the prompts as generated (in the
 *     workload's encoding), summed; otherwise equal to {@code serverRaw}
 */
public record ServerTokenCheck(
        String endpoint,
        boolean sized,
        int prompts,
        long intended,
        long serverRaw,
        Double templatePerPrompt,
        int exact,
        int worstOff,
        long roundTrips,
        long before) {

    /**
     * The tokens a trial's chat template added over {@code requests} requests whose intended input
     * totals {@code intendedInput} and whose server-reported input totals {@code serverInput}:
     * measured per prompt when the server tokenizes messages, else what the server reported beyond
     * its own tokenizer's count of the raw text (that count scaled from this check's prompts).
     * Zero or more; {@code 0} for a completions API.
     */
    public long templateTokens(long requests, long intendedInput, long serverInput) {
        if (templatePerPrompt != null) {
            return Math.round(templatePerPrompt * requests);
        }
        if (intended <= 0) {
            return 0;
        }
        long raw = Math.round((double) intendedInput * serverRaw / intended);
        return Math.max(0, serverInput - raw);
    }

    /** One line saying what was done, for the console. */
    public String summary() {
        if (!sized) {
            return String.format(
                    Locale.ROOT,
                    "%s counts %d sampled prompts as %d tokens where the workload's encoding intends %d (%+.1f %%)",
                    endpoint,
                    prompts,
                    serverRaw,
                    intended,
                    percent(serverRaw, intended));
        }
        return String.format(
                Locale.ROOT,
                "sized %d prompts in the server's tokenizer (%s): %d exact%s, %d round trips; as generated they"
                        + " were %d server tokens for %d intended (%+.1f %%)",
                prompts,
                endpoint,
                exact,
                exact == prompts ? "" : ", the others within " + worstOff + " tokens",
                roundTrips,
                before,
                intended,
                percent(before, intended));
    }

    static double percent(long actual, long intended) {
        return intended == 0 ? 0 : 100.0 * (actual - intended) / intended;
    }
}
