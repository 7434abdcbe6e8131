package dev.llmharness.runtime.sim;

import java.util.List;

/**
 * The simulator's own tokenizer, {@code sim-words}: deliberately unlike {@code cl100k_base}, so
 * that tests see what a server with another tokenizer does to synthetic prompts. A token is an
 * optional leading space followed by up to four letters, one digit, or one other non-space
 * character; a run of whitespace not followed by such a character is one token. So {@code " the"}
 * is one token, {@code " quick"} two ({@code " quic"}, {@code "k"}) and {@code "."} one, where
 * cl100k counts one each. Ids are a hash of the piece, stable across runs.
 */
final class SimTokenizer {
    static final String CL100K = "cl100k_base";
    static final String WORDS = "sim-words";
    static final List<String> NAMES = List.of(CL100K, WORDS);

    private static final int VOCABULARY = 32000;

    private SimTokenizer() {}

    static int count(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i = next(text, i)) {
            n++;
        }
        return n;
    }

    static int[] encode(String text) {
        int[] ids = new int[count(text)];
        int k = 0;
        for (int i = 0, end; i < text.length(); i = end) {
            end = next(text, i);
            ids[k++] = Math.floorMod(text.substring(i, end).hashCode(), VOCABULARY);
        }
        return ids;
    }

    /** The text of each token of {@code text}, in order; they concatenate to {@code text}. */
    static String[] pieces(String text) {
        String[] out = new String[count(text)];
        int k = 0;
        for (int i = 0, end; i < text.length(); i = end) {
            end = next(text, i);
            out[k++] = text.substring(i, end);
        }
        return out;
    }

    /** The end of the token starting at {@code i}. */
    private static int next(String text, int i) {
        int n = text.length();
        int j = i;
        if (Character.isWhitespace(text.charAt(j))) {
            if (text.charAt(j) == ' ' && j + 1 < n && !Character.isWhitespace(text.charAt(j + 1))) {
                j++; // a space joins the piece after it
            } else {
                while (j < n && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
                if (j < n && text.charAt(j - 1) == ' ' && j - 1 > i) {
                    j--; // leave the last space to the next piece
                }
                return j;
            }
        }
        char c = text.charAt(j);
        if (Character.isLetter(c)) {
            int letters = 0;
            while (j < n && letters < 4 && Character.isLetter(text.charAt(j))) {
                j++;
                letters++;
            }
            return j;
        }
        return j + Character.charCount(text.codePointAt(j));
    }
}
