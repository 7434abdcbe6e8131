package dev.llmharness.runtime.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The simulated model's text: a seeded stream of common English words, each with a leading space,
 * with an occasional {@code ","} or {@code "."}. Every piece is one token of OpenAI's {@code
 * cl100k_base} encoding (a test checks this), so a client that re-tokenises the text counts one
 * token per emitted chunk. All pieces are plain ASCII and need no JSON escaping.
 */
final class TextModel {
    private static final String[] WORDS = {
        " the",
        " of",
        " and",
        " to",
        " in",
        " is",
        " that",
        " for",
        " it",
        " as",
        " was",
        " with",
        " be",
        " by",
        " on",
        " not",
        " he",
        " this",
        " are",
        " or",
        " his",
        " from",
        " at",
        " which",
        " but",
        " have",
        " an",
        " had",
        " they",
        " you",
        " were",
        " their",
        " one",
        " all",
        " we",
        " can",
        " her",
        " has",
        " there",
        " been",
        " if",
        " more",
        " when",
        " will",
        " would",
        " who",
        " so",
        " no",
        " time",
        " people",
        " new",
        " year",
        " way",
        " day",
        " man",
        " thing",
        " woman",
        " life",
        " child",
        " world",
        " school",
        " state",
        " family",
        " student",
        " group",
        " country",
        " problem",
        " hand",
        " part",
        " place",
        " case",
        " week",
        " company",
        " system",
        " program",
        " question",
        " work",
        " government",
        " number",
        " night",
        " point",
        " home",
        " water",
        " room",
        " mother",
        " area",
        " money",
        " story",
        " fact",
        " month",
        " lot",
        " right",
        " study",
        " book",
        " eye",
        " job",
        " word",
        " business",
        " issue",
        " side",
        " kind",
        " head",
        " house",
        " service",
        " friend",
        " father",
        " power",
        " hour",
        " game",
        " line",
        " end",
        " member",
        " law",
        " car",
        " city",
        " community",
        " name",
        " president",
        " team",
        " minute",
        " idea",
        " kid",
        " body",
        " information",
        " back",
        " parent",
        " face",
        " others",
        " level",
        " office",
        " door",
        " health",
        " person",
        " art",
        " war",
        " history",
        " party",
        " result",
        " change",
        " morning",
        " reason",
        " research",
        " girl",
        " guy",
        " moment",
        " air",
        " teacher",
        " force",
        " education",
        " good",
        " great",
        " small",
        " large",
        " long",
        " little",
        " old",
        " big",
        " high",
        " different",
        " important",
        " public",
        " early",
        " young",
        " bad",
        " able",
        " make",
        " know",
        " take",
        " see",
        " come",
        " think",
        " look",
        " want",
        " give",
        " use",
        " find",
        " tell",
        " ask",
        " seem",
        " feel",
        " try",
        " leave",
        " call",
        " keep",
        " begin",
        " help",
        " show",
        " hear",
        " play",
        " run",
        " move",
        " live",
        " believe",
        " bring",
        " write",
        " provide",
        " sit",
        " stand",
        " lose",
        " pay",
        " meet",
        " include",
        " continue",
        " learn",
        " lead",
        " understand",
        " watch",
        " follow",
        " stop",
        " create",
        " speak",
        " read",
        " spend",
        " grow",
        " open",
        " walk",
        " win",
        " offer",
        " remember",
        " love",
        " consider",
        " appear",
        " buy",
        " wait",
        " serve",
        " die",
        " send",
        " expect",
        " build",
        " stay",
        " fall",
        " cut",
        " reach",
        " kill",
        " remain"
    };

    private static final byte[][] PIECES;
    private static final int COMMA;
    private static final int PERIOD;

    static {
        PIECES = new byte[WORDS.length + 2][];
        for (int i = 0; i < WORDS.length; i++) {
            PIECES[i] = WORDS[i].getBytes(StandardCharsets.US_ASCII);
        }
        COMMA = WORDS.length;
        PERIOD = WORDS.length + 1;
        PIECES[COMMA] = ",".getBytes(StandardCharsets.US_ASCII);
        PIECES[PERIOD] = ".".getBytes(StandardCharsets.US_ASCII);
    }

    private final SplittableRandom random;
    private boolean previousWasWord;

    /** A text stream for one request; {@code seed} fixes every piece. */
    TextModel(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next piece, as ASCII bytes; the caller must not modify them. */
    byte[] next() {
        int r = random.nextInt(100);
        int piece;
        if (previousWasWord && r < 6) {
            piece = PERIOD;
        } else if (previousWasWord && r < 10) {
            piece = COMMA;
        } else {
            piece = random.nextInt(WORDS.length);
        }
        previousWasWord = piece < WORDS.length;
        return PIECES[piece];
    }

    /** All pieces the generator can emit (for tests). */
    static String[] pieces() {
        String[] out = new String[PIECES.length];
        for (int i = 0; i < PIECES.length; i++) {
            out[i] = new String(PIECES[i], StandardCharsets.US_ASCII);
        }
        return out;
    }

    /** Mixes two longs into a well-spread seed (SplitMix64 finaliser). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
