package dev.llmharness.runtime.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seeded English-like text whose token count under one encoding is known by construction.
 *
 * <p>The text is a sequence of units, each exactly one token: a word with its leading space
 * ({@code " river"}) or a punctuation mark ({@code "."}, {@code ","}). Every BPE encoding we
 * ship first splits text with a regular expression into pieces that break before a space-led
 * word and around punctuation, and merges only within a piece; so a unit sequence re-encodes to
 * itself, token for token, and N units are N tokens. Cutting a token window out of an encoded
 * corpus instead would split multi-token words whose halves re-merge differently; building from
 * single-token units avoids that round-trip problem rather than repairing it.
 *
 * <p>Which words are single tokens depends on the encoding, so the vocabulary is checked per
 * encoding when first used: each word alone, and next to each punctuation mark, must encode to
 * the expected ids. From the kept words a fixed pool of sentences is built (seeded, so the same
 * for every run); each pooled sentence, and long samples of them, must re-encode to their unit
 * count, or construction fails.
 */
final class SyntheticText {
    private static final Map<String, SyntheticText> CACHE = new ConcurrentHashMap<>();

    private static final int START = 0;
    private static final int DETERMINER = 1;
    private static final int NOUN = 2;
    private static final int VERB = 3;
    private static final int ADJECTIVE = 4;
    private static final int ADVERB = 5;
    private static final int PREPOSITION = 6;
    private static final int CONJUNCTION = 7;
    private static final int PERIOD = 8;
    private static final int COMMA = 9;

    /** Sentence shapes, as sequences of the categories above. */
    private static final int[][] SENTENCES = {
        {START, ADJECTIVE, NOUN, VERB, DETERMINER, NOUN, PREPOSITION, DETERMINER, ADJECTIVE, NOUN, PERIOD},
        {
            START,
            NOUN,
            ADVERB,
            VERB,
            DETERMINER,
            ADJECTIVE,
            NOUN,
            COMMA,
            CONJUNCTION,
            DETERMINER,
            NOUN,
            VERB,
            DETERMINER,
            NOUN,
            PERIOD
        },
        {START, ADJECTIVE, NOUN, PREPOSITION, DETERMINER, NOUN, VERB, DETERMINER, NOUN, PERIOD},
        {START, NOUN, VERB, DETERMINER, ADJECTIVE, NOUN, ADVERB, PERIOD},
        {
            START,
            NOUN,
            VERB,
            DETERMINER,
            NOUN,
            COMMA,
            CONJUNCTION,
            DETERMINER,
            ADJECTIVE,
            NOUN,
            ADVERB,
            VERB,
            DETERMINER,
            NOUN,
            PREPOSITION,
            DETERMINER,
            NOUN,
            PERIOD
        },
    };

    /**
     * Sentences are drawn from a fixed pool rather than assembled word by word per prompt:
     * appending about 12 units at once makes a 4,096-token prompt several times cheaper, and
     * 4,096 sentences of five shapes over several hundred words keep prompts varied. The pool depends only on the encoding.
     */
    private static final int POOL_SENTENCES = 4096;

    private static final long POOL_SEED = 0x53454e54L;

    private final String encoding;
    /** The sentence pool, and for each sentence the end offset (in chars) of each of its units. */
    private final String[] sentences;

    private final int[][] unitEnds;
    /** Unit texts by category; each entry is one token. */
    private final String[][] units;
    /** Distinct words used as the digits of the unique marker. */
    private final String[] markerDigits;

    private SyntheticText(Tokenizer tokenizer) {
        this.encoding = tokenizer.encoding();
        int period = singleToken(tokenizer, ".");
        int comma = singleToken(tokenizer, ",");
        if (period < 0 || comma < 0) {
            throw new IllegalStateException(
                    "encoding " + encoding + " does not encode '.' and ',' as single tokens; cannot build prompts");
        }
        List<List<String>> words = List.of(
                EnglishWords.SENTENCE_STARTS,
                EnglishWords.DETERMINERS,
                EnglishWords.NOUNS,
                EnglishWords.VERBS,
                EnglishWords.ADJECTIVES,
                EnglishWords.ADVERBS,
                EnglishWords.PREPOSITIONS,
                EnglishWords.CONJUNCTIONS);
        units = new String[COMMA + 1][];
        Set<String> digits = new LinkedHashSet<>();
        for (int category = 0; category < words.size(); category++) {
            Set<String> kept = new LinkedHashSet<>();
            for (String word : words.get(category)) {
                String unit = " " + word;
                if (roundTrips(tokenizer, unit, period, comma)) {
                    kept.add(unit);
                }
            }
            if (kept.size() < 4) {
                throw new IllegalStateException("encoding " + encoding + " keeps only " + kept.size()
                        + " single-token words of category " + category + "; cannot build varied prompts");
            }
            units[category] = kept.toArray(String[]::new);
            digits.addAll(kept);
        }
        units[PERIOD] = new String[] {"."};
        units[COMMA] = new String[] {","};
        markerDigits = digits.toArray(String[]::new);
        sentences = new String[POOL_SENTENCES];
        unitEnds = new int[POOL_SENTENCES][];
        SplittableRandom random = new SplittableRandom(POOL_SEED);
        for (int i = 0; i < POOL_SENTENCES; i++) {
            int[] shape = SENTENCES[random.nextInt(SENTENCES.length)];
            StringBuilder sentence = new StringBuilder();
            unitEnds[i] = new int[shape.length];
            for (int u = 0; u < shape.length; u++) {
                String[] choices = units[shape[u]];
                sentence.append(choices[choices.length == 1 ? 0 : random.nextInt(choices.length)]);
                unitEnds[i][u] = sentence.length();
            }
            sentences[i] = sentence.toString();
        }
        selfCheck(tokenizer);
    }

    /** The text generator for {@code tokenizer}'s encoding; built once per encoding. */
    static SyntheticText forTokenizer(Tokenizer tokenizer) {
        return CACHE.computeIfAbsent(tokenizer.encoding(), name -> new SyntheticText(tokenizer));
    }

    /** Number of distinct marker digits (words), {@code >= 32}. */
    int markerBase() {
        return markerDigits.length;
    }

    /**
     * Appends exactly {@code tokens} units: whole sentences drawn from the pool by {@code random},
     * the last one cut where the count is reached. The first unit is always a word.
     */
    void appendSentences(SplittableRandom random, int tokens, StringBuilder out) {
        int left = tokens;
        while (left > 0) {
            int pick = random.nextInt(sentences.length);
            int[] ends = unitEnds[pick];
            if (ends.length <= left) {
                out.append(sentences[pick]);
                left -= ends.length;
            } else {
                out.append(sentences[pick], 0, ends[left - 1]);
                left = 0;
            }
        }
    }

    /**
     * Appends {@code tokens} words spelling {@code value} in base {@link #markerBase()}, least
     * significant digit first: distinct values below {@code markerBase()^tokens} give distinct
     * texts.
     */
    void appendMarker(long value, int tokens, StringBuilder out) {
        long rest = value;
        for (int i = 0; i < tokens; i++) {
            out.append(markerDigits[(int) Math.floorMod(rest, (long) markerDigits.length)]);
            rest = Math.floorDiv(rest, markerDigits.length);
        }
    }

    private static int singleToken(Tokenizer tokenizer, String text) {
        int[] ids = tokenizer.encode(text);
        return ids.length == 1 ? ids[0] : -1;
    }

    /** Whether the word is one token alone and stays one token beside each punctuation mark. */
    private static boolean roundTrips(Tokenizer tokenizer, String unit, int period, int comma) {
        int id = singleToken(tokenizer, unit);
        return id >= 0
                && Arrays.equals(tokenizer.encode(unit + "."), new int[] {id, period})
                && Arrays.equals(tokenizer.encode(unit + ","), new int[] {id, comma})
                && Arrays.equals(tokenizer.encode("." + unit), new int[] {period, id})
                && Arrays.equals(tokenizer.encode("," + unit), new int[] {comma, id});
    }

    /**
     * Every pooled sentence, and long samples of them, must re-encode to exactly their unit
     * count, or the premise above is wrong.
     */
    private void selfCheck(Tokenizer tokenizer) {
        for (int i = 0; i < sentences.length; i++) {
            if (tokenizer.count(sentences[i]) != unitEnds[i].length) {
                throw new IllegalStateException("pooled sentence '" + sentences[i] + "' is not " + unitEnds[i].length
                        + " tokens under " + encoding);
            }
        }
        for (int tokens : new int[] {1, 2, 3, 17, 20_000}) {
            StringBuilder text = new StringBuilder();
            appendMarker(123_456_789L, Math.min(tokens, 4), text);
            appendSentences(new SplittableRandom(tokens), tokens, text);
            int expected = tokens + Math.min(tokens, 4);
            int counted = tokenizer.count(text.toString());
            if (counted != expected) {
                throw new IllegalStateException("synthetic text of " + expected + " units encodes to " + counted
                        + " tokens under " + encoding + "; the single-token vocabulary does not round-trip");
            }
        }
    }
}
