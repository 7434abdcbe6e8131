package dev.llmharness.runtime.tokenize;

import java.io.IOException;

/**
 * A server's own tokenizer, asked over HTTP ({@code POST /tokenize}). One implementation per
 * engine API, see {@link ServerTokenizers}. Implementations are thread-safe; each call is one
 * round trip, so they are used before a trial's load, never during it.
 */
public interface ServerTokenizer {
    /** What was asked, e.g. {@code "llama.cpp POST /tokenize"}. */
    String endpoint();

    /**
     * The tokens the server counts for {@code text} sent as a raw prompt (special tokens such as
     * BOS included where the engine adds them to a prompt).
     *
     * @throws IOException when the server does not answer, or answers with an error or a body that
     *     is not this API's shape
     */
    int count(String text) throws IOException;

    /** Whether {@link #countChat(String)} works: the API tokenizes chat messages (vLLM). */
    boolean countsChat();

    /**
     * The tokens of one user message {@code text} after the server's chat template, with the
     * generation prompt.
     *
     * @throws UnsupportedOperationException when {@link #countsChat()} is false
     * @throws IOException as {@link #count(String)}
     */
    int countChat(String text) throws IOException;
}
