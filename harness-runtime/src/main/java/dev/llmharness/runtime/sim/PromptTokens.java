package dev.llmharness.runtime.sim;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts prompt tokens with OpenAI's {@code cl100k_base} encoding (jtokkit), special tokens read
 * as ordinary text. Chat prompts count the text of every message and nothing for the chat
 * template (a real server adds a few template tokens per message).
 */
final class PromptTokens {
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private PromptTokens() {}

    static int count(String text) {
        return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    /** Loads the encoding tables now rather than on the first request. */
    static void warmUp() {
        count("warm up");
    }
}
