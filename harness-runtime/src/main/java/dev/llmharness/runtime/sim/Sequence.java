package dev.llmharness.runtime.sim;

/**
 * One request as the engine sees it: token counts and progress. Owned by the engine thread once
 * submitted; the {@link TokenListener} is how the engine reports progress back to the connection.
 */
final class Sequence {
    enum State {
        NEW,
        WAITING,
        RUNNING,
        DONE
    }

    final int promptTokens;
    /** Output tokens this request will produce (its simulated end of sequence or its limit). */
    final int outputTokens;
    /**
     * KV-cache tokens reserved on admission: prompt plus output tokens, the most the sequence will
     * ever hold. Reserving the final length (which the simulator knows in advance) stands for a
     * cache that grows per token and never needs to preempt.
     */
    final int reservedTokens;

    final TokenListener listener;

    State state = State.NEW;
    boolean cancelled;
    int prefilled;
    int generated;
    /** Engine bookkeeping for the step being run: prompt tokens prefilled in it. */
    int stepPrefill;
    /** Engine bookkeeping for the step being run: whether it decodes one token. */
    boolean stepDecode;
    /** When the engine was handed this sequence, {@code System.nanoTime()} scale. */
    long submitNanos;
    /** {@link SimConfig.Timing#FIXED}: time of the first token, {@code System.nanoTime()} scale. */
    long firstTokenDeadline;
    /** {@link SimConfig.Timing#FIXED}: deadline of the next token. */
    long nextDeadline;

    /**
     * @param promptTokens prompt length in tokens; at least 1
     * @param outputTokens tokens to produce; at least 1
     */
    Sequence(int promptTokens, int outputTokens, TokenListener listener) {
        if (promptTokens < 1 || outputTokens < 1) {
            throw new IllegalArgumentException(
                    "bad sequence: prompt " + promptTokens + " tokens, output " + outputTokens + " tokens");
        }
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.reservedTokens = promptTokens + outputTokens;
        this.listener = listener;
    }

    boolean decoding() {
        return prefilled == promptTokens;
    }
}
