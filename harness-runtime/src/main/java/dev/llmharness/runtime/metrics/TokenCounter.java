package dev.llmharness.runtime.metrics;

/**
 * Counts the output tokens of one content event when the server reports no {@code usage}. The
 * data package provides a tokenizer-backed counter; until one is given, {@link #contentEvents()}
 * counts one token per content event and says so in the result ({@code "events"}).
 *
 * <p>Implementations are thread-safe; {@link #tokens} runs on the stream-reading threads for every
 * content event, so it must be cheap.
 */
public interface TokenCounter {
    /**
     * Tokens in the text of one content event, {@code >= 0}. Only called when {@link
     * #needsText()} is true; otherwise {@code text} is {@code null} and the counter answers without
     * it.
     */
    int tokens(String text);

    /** Whether {@link #tokens} needs the event's text (the stream reader then decodes it). */
    boolean needsText();

    /** How counts are obtained, written to results as the token source, e.g. {@code "tokenizer"}. */
    String source();

    /** One token per content event: exact for servers that stream one token per chunk. */
    static TokenCounter contentEvents() {
        return ContentEventCounter.INSTANCE;
    }

    /** A counter from a function of the event text, e.g. a tokenizer's {@code countTokens}. */
    static TokenCounter ofFunction(java.util.function.ToIntFunction<String> count, String source) {
        return new TokenCounter() {
            @Override
            public int tokens(String text) {
                return count.applyAsInt(text);
            }

            @Override
            public boolean needsText() {
                return true;
            }

            @Override
            public String source() {
                return source;
            }
        };
    }
}

/** The default counter: one token per content event, no text needed. */
enum ContentEventCounter implements TokenCounter {
    INSTANCE;

    @Override
    public int tokens(String text) {
        return 1;
    }

    @Override
    public boolean needsText() {
        return false;
    }

    @Override
    public String source() {
        return "events";
    }
}
