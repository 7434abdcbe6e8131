package dev.llmharness.runtime.data;

import dev.llmharness.api.Prompt;

/**
 * The prompts of one trial. A prompt is a pure function of the trial's seed and the request index,
 * so a run is reproducible whatever order requests are sent in, and so that shards of one run
 * (index ≡ shard mod N) see exactly the prompts one machine would have sent.
 *
 * <p>Implementations are thread-safe and do all expensive preparation (reading, filtering,
 * tokenizing) before the first call; {@link #prompt(long)} is called on the sending threads,
 * never on the dispatch thread, and must be cheap.
 */
public interface PromptSource {
    /**
     * The prompt of request {@code index}.
     *
     * @param index request index within the trial, {@code >= 0}
     */
    Prompt prompt(long index);

    /**
     * The encoding under which every prompt's {@link Prompt#inputTokens()} is exactly the token count
     * of its {@link Prompt#text()}, or {@code null} when that is not so for every prompt (prompts
     * resized for a server's tokenizer, a source that does not know). A trial whose encoding is this
     * one counts the client's input tokens of a request that sends the prompt's text unchanged from
     * that figure instead of tokenizing the text again ({@code ClientTokens}).
     */
    default String exactEncoding() {
        return null;
    }
}
