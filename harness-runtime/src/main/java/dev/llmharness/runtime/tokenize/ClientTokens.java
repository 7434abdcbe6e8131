package dev.llmharness.runtime.tokenize;

import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Message;
import dev.llmharness.runtime.data.Tokenizer;
import dev.llmharness.runtime.data.Tokenizers;

/**
 * The harness's own count of the prompt a request sends, in the trial's encoding: the content of
 * every message (a system message the benchmark method added included) or the prompt text. The
 * chat template is not in it: the server adds that, and only the server can count it. This is the
 * "client-counted" input beside the intended one (what the workload built) and the server's.
 */
public final class ClientTokens {
    private ClientTokens() {}

    /**
     * Tokens of {@code request}'s prompt in {@code encoding}, or {@code -1} when the encoding is not
     * one the harness bundles.
     *
     * <p>One jtokkit count per request, tens of microseconds for a few hundred tokens: the trial
     * runner calls it after the request ended, never between building and sending it.
     */
    public static int count(String encoding, LlmRequest request) {
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizers.forEncoding(encoding);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (request instanceof ChatRequest chat) {
            int n = 0;
            for (Message m : chat.messages()) {
                n += tokenizer.count(m.content());
            }
            return n;
        }
        return tokenizer.count(((CompletionRequest) request).prompt());
    }
}
