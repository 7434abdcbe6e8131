package dev.llmharness.runtime.sim;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts prompt tokens with the simulator's configured tokenizer: OpenAI's {@code cl100k_base}
 * encoding (jtokkit, special tokens read as ordinary text) by default, or {@link SimTokenizer}.
 * Chat prompts count the text of every message, plus {@link SimConfig#chatTemplateTokens()} per
 * message for the chat template (0 by default; a real server adds a few per message).
 */
final class PromptTokens {
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private PromptTokens() {}

    static int count(String text) {
        return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    static int count(SimConfig config, String text) {
        return SimTokenizer.WORDS.equals(config.tokenizer()) ? SimTokenizer.count(text) : count(text);
    }

    /** The token ids of {@code text} under the configured tokenizer (for {@code POST /tokenize}). */
    static int[] encode(SimConfig config, String text) {
        return SimTokenizer.WORDS.equals(config.tokenizer())
                ? SimTokenizer.encode(text)
                : ENCODING.encodeOrdinary(text).toArray();
    }

    /** The text of each token of {@code text} (for TGI's {@code POST /tokenize}). */
    static String[] pieces(SimConfig config, String text) {
        if (SimTokenizer.WORDS.equals(config.tokenizer())) {
            return SimTokenizer.pieces(text);
        }
        int[] ids = ENCODING.encodeOrdinary(text).toArray();
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            com.knuddels.jtokkit.api.IntArrayList one = new com.knuddels.jtokkit.api.IntArrayList(1);
            one.add(ids[i]);
            out[i] = ENCODING.decode(one);
        }
        return out;
    }

    /** Loads the encoding tables now rather than on the first request. */
    static void warmUp() {
        count("warm up");
    }
}
