package dev.llmharness.runtime.tokenize;

import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Message;
import dev.llmharness.api.Prompt;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.Tokenizer;
import dev.llmharness.runtime.data.Tokenizers;

/**
 * The harness's own count of the prompt a request sends, in the trial's encoding: the content of
 * every message (a system message the benchmark method added included) or the prompt text. The
 * chat template is not in it: the server adds that, and only the server can count it. This is the
 * "client-counted" input beside the intended one (what the workload built) and the server's.
 *
 * <p>An instance counts for one trial: its tokenizer is looked up once, when first needed. When
 * the trial's prompts are exact in its encoding ({@link PromptSource#exactEncoding()}), a text
 * that is the prompt's own counts as {@link Prompt#inputTokens()} without a tokenizer pass
 * (jtokkit over a 128-token prompt took about 10 µs and 5.5 KB per request). Only the other texts
 * (a system message, a prompt the benchmark method rewrote) are tokenized. The figure is the same
 * either way. Thread-safe.
 */
public final class ClientTokens {
    /** The trial's encoding, {@code null} when it is not one the harness bundles. */
    private final String encoding;
    /** Whether each prompt's {@code inputTokens} is its text's count under {@link #encoding}. */
    private final boolean promptsExact;
    /**
     * Looked up when a text is first tokenized, not before the trial: loading a vocabulary takes a
     * few hundred milliseconds, and a trial whose texts are all its prompts' own never needs it.
     */
    private volatile Tokenizer tokenizer;

    private ClientTokens(String encoding, boolean promptsExact) {
        this.encoding = encoding;
        this.promptsExact = promptsExact;
    }

    /**
     * The counter of a trial in {@code encoding} whose prompts come from {@code prompts}.
     *
     * @param encoding the trial's encoding (its workload's)
     */
    public static ClientTokens forTrial(String encoding, PromptSource prompts) {
        if (encoding == null || !Tokenizers.KNOWN_ENCODINGS.contains(encoding)) {
            return new ClientTokens(null, false);
        }
        return new ClientTokens(encoding, encoding.equals(prompts.exactEncoding()));
    }

    /** Whether a request that sends its prompt's text unchanged is counted without a tokenizer pass. */
    public boolean promptsExact() {
        return promptsExact;
    }

    /**
     * Tokens of {@code request}'s prompt, or {@code -1} when the encoding is not one the harness
     * bundles.
     *
     * <p>Called after the request ended, never between building and sending it: a text that is
     * tokenized costs tens of microseconds for a few hundred tokens.
     *
     * @param prompt the prompt {@code request} was built from
     */
    public int count(LlmRequest request, Prompt prompt) {
        if (encoding == null) {
            return -1;
        }
        if (request instanceof ChatRequest chat) {
            int n = 0;
            for (Message m : chat.messages()) {
                n += count(m.content(), prompt);
            }
            return n;
        }
        return count(((CompletionRequest) request).prompt(), prompt);
    }

    private int count(String text, Prompt prompt) {
        // equals: identity first, and the benchmark method passes the prompt's own String on.
        if (promptsExact && text.equals(prompt.text())) {
            return prompt.inputTokens();
        }
        Tokenizer t = tokenizer;
        if (t == null) {
            t = Tokenizers.forEncoding(encoding);
            tokenizer = t;
        }
        return t.count(text);
    }
}
