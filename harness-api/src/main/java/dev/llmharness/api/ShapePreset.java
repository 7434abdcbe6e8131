package dev.llmharness.api;

/**
 * Named token shapes for the standard serving scenarios. Each fixes the prompt length and the
 * output length in tokens.
 */
public enum ShapePreset {
    /** No preset: the shape is given by {@link TokenShape#input()} and {@link TokenShape#output()}. */
    NONE(0, 0),
    /** Conversational turn: 256 input tokens, 128 output tokens. */
    CHAT(256, 128),
    /** Retrieval-augmented generation: 4,096 input tokens, 512 output tokens. */
    RAG(4096, 512),
    /** Code generation: 512 input tokens, 512 output tokens. */
    CODE(512, 512),
    /** Summarisation of a long document: 2,048 input tokens, 256 output tokens. */
    SUMMARIZE(2048, 256),
    /** Short prompt, short completion: 128 input tokens, 128 output tokens. */
    SHORT_SHORT(128, 128),
    /** Short prompt, long completion: 128 input tokens, 2,048 output tokens. */
    SHORT_LONG(128, 2048),
    /** Long prompt, short completion: 2,048 input tokens, 128 output tokens. */
    LONG_SHORT(2048, 128),
    /** Long prompt, long completion: 2,048 input tokens, 2,048 output tokens. */
    LONG_LONG(2048, 2048);

    private final int inputTokens;
    private final int outputTokens;

    ShapePreset(int inputTokens, int outputTokens) {
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
    }

    /** Prompt length in tokens; {@code 0} for {@link #NONE}. */
    public int inputTokens() {
        return inputTokens;
    }

    /** Output length in tokens; {@code 0} for {@link #NONE}. */
    public int outputTokens() {
        return outputTokens;
    }
}
