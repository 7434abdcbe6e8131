package dev.llmharness.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizersTest {
    @Test
    void theEncodingsTheProcessorAcceptsAreExactlyThoseTheRuntimeLoads() {
        assertThat(Tokenizers.KNOWN_ENCODINGS).containsExactlyInAnyOrderElementsOf(Limits.ENCODINGS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base"})
    void everyBundledEncodingLoadsAndRoundTripsText(String encoding) {
        Tokenizer tokenizer = Tokenizers.forEncoding(encoding);
        String text = "Hello, world! Tokenizers split text into pieces; ünïcödé too.";

        int[] tokens = tokenizer.encode(text);

        assertThat(tokenizer.encoding()).isEqualTo(encoding);
        assertThat(tokenizer.count(text)).isEqualTo(tokens.length).isPositive();
        assertThat(tokenizer.decode(tokens)).isEqualTo(text);
    }

    @Test
    void cl100kCountsMatchTheReferenceTokenizer() {
        Tokenizer tokenizer = Tokenizers.forEncoding("cl100k_base");

        // Reference values from OpenAI's tiktoken for cl100k_base.
        assertThat(tokenizer.encode("hello world")).containsExactly(15339, 1917);
        assertThat(tokenizer.count("")).isZero();
    }

    @Test
    void specialTokenMarkersAreCountedAsOrdinaryText() {
        Tokenizer tokenizer = Tokenizers.forEncoding("cl100k_base");

        assertThat(tokenizer.count("a <|endoftext|> b")).isGreaterThan(3);
    }

    @Test
    void instancesAreSharedPerEncoding() {
        assertThat(Tokenizers.forEncoding("o200k_base")).isSameAs(Tokenizers.forEncoding("o200k_base"));
    }

    @Test
    void anUnknownEncodingIsRejectedWithTheKnownNames() {
        assertThatThrownBy(() -> Tokenizers.forEncoding("llama3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown tokenizer encoding 'llama3'; known encodings: "
                        + "r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base");
    }
}
