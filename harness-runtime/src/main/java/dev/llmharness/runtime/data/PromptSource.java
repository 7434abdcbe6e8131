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
}
