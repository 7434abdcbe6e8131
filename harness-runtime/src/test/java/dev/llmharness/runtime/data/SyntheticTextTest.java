package dev.llmharness.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base"})
    void sentencesOfNUnitsAreNTokensUnderEveryEncoding(String encoding) {
        Tokenizer tokenizer = Tokenizers.forEncoding(encoding);
        SyntheticText text = SyntheticText.forTokenizer(tokenizer);
        SplittableRandom lengths = new SplittableRandom(7);

        for (int trial = 0; trial < 300; trial++) {
            int tokens = 1 + lengths.nextInt(600);
            StringBuilder out = new StringBuilder();
            text.appendSentences(new SplittableRandom(trial), tokens, out);

            assertThat(tokenizer.count(out.toString()))
                    .as("%d units under %s: %s", tokens, encoding, out)
                    .isEqualTo(tokens);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "r50k_base"})
    void markersOfDistinctValuesAreDistinctTextsOfTheirLength(String encoding) {
        Tokenizer tokenizer = Tokenizers.forEncoding(encoding);
        SyntheticText text = SyntheticText.forTokenizer(tokenizer);
        Set<String> seen = new HashSet<>();

        for (long value = 0; value < 5_000; value++) {
            StringBuilder out = new StringBuilder();
            text.appendMarker(value * 7919, 3, out);
            assertThat(tokenizer.count(out.toString())).isEqualTo(3);
            assertThat(seen.add(out.toString()))
                    .as("marker of %d is new", value)
                    .isTrue();
        }
        assertThat(text.markerBase()).isGreaterThan(300);
    }
}
