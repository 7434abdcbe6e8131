package dev.llmharness.runtime.data;

/**
 * A byte-pair-encoding tokenizer for one named encoding (for example {@code cl100k_base}).
 *
 * <p>Counts are exact for {@link #encoding()} and only approximate for any other model's
 * tokenizer: a prompt of 256 {@code cl100k_base} tokens may be 240 or 280 tokens for a Llama or
 * Qwen model. The server's own usage counts are recorded beside these in the results.
 *
 * <p>Special-token markers such as {@code <|endoftext|>} in the text are treated as ordinary text,
 * so any string can be counted. Implementations are thread-safe; get one from {@link
 * Tokenizers#forEncoding(String)}.
 */
public interface Tokenizer {
    /** Number of tokens of {@code text}, {@code >= 0}; {@code 0} for the empty string. */
    int count(String text);

    /** The token ids of {@code text}, in order. */
    int[] encode(String text);

    /**
     * The text of {@code tokens}. Decoding a window cut from the middle of a longer encoding may
     * split a multi-byte character; such bytes decode to U+FFFD.
     */
    String decode(int[] tokens);

    /** The encoding's name, e.g. {@code cl100k_base}. */
    String encoding();
}
