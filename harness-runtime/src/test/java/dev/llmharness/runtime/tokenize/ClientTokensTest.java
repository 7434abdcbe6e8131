package dev.llmharness.runtime.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizer;
import dev.llmharness.runtime.data.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's input-token count takes a prompt's own count only where that count is exact, and is
 * then the figure jtokkit gives for the same text: compared here on the same prompts.
 */
class ClientTokensTest {
    private static ShapeWorkload shape(LengthSpec input, int sharedPrefix, String encoding) {
        return new ShapeWorkload(ShapePreset.NONE, input, LengthSpec.fixed(16), sharedPrefix, true, encoding, null);
    }

    /** Past the indices the source re-encodes itself (ShapePromptSource.VERIFY_FIRST), and some before. */
    private static final long[] INDICES = {0, 1, 7, 255, 256, 257, 1_000, 1_023, 1_024, 99_999, 1_234_567};

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base"})
    void syntheticPromptsCountAsJtokkitCountsThemUnderEveryEncoding(String encoding) {
        Tokenizer jtokkit = Tokenizers.forEncoding(encoding);
        LengthSpec[] inputs = {
            LengthSpec.fixed(1), LengthSpec.fixed(5), LengthSpec.fixed(128), LengthSpec.uniform(20, 700)
        };
        for (LengthSpec input : inputs) {
            for (int prefix : new int[] {0, 16}) {
                if (prefix >= input.min()) {
                    continue;
                }
                PromptSource source = PromptSources.forWorkload(shape(input, prefix, encoding), 42);
                ClientTokens tokens = ClientTokens.forTrial(encoding, source);
                assertThat(tokens.promptsExact()).isTrue();
                for (long i : INDICES) {
                    Prompt p = source.prompt(i);
                    int expected = jtokkit.count(p.text());
                    assertThat(tokens.count(ChatRequest.of(p), p))
                            .as("%s, %s, prefix %d, index %d", encoding, input, prefix, i)
                            .isEqualTo(expected);
                    assertThat(tokens.count(CompletionRequest.of(p), p)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void datasetPromptsCountAsJtokkitCountsThem() {
        DatasetWorkload dolly = new DatasetWorkload(
                DatasetFormat.DOLLY,
                "classpath:datasets/dolly-small.jsonl",
                "",
                "",
                1,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Defaults.DATASET_OUTPUT_TOKENS,
                false,
                Sampling.WITH_REPLACEMENT,
                0,
                Defaults.ENCODING);
        PromptSource source = PromptSources.forWorkload(dolly, 7);
        ClientTokens tokens = ClientTokens.forTrial(Defaults.ENCODING, source);
        Tokenizer jtokkit = Tokenizers.forEncoding(Defaults.ENCODING);

        assertThat(tokens.promptsExact()).isTrue();
        for (long i = 0; i < 200; i++) {
            Prompt p = source.prompt(i);
            assertThat(tokens.count(ChatRequest.of(p), p)).isEqualTo(jtokkit.count(p.text()));
        }
    }

    /** Only the prompt's own text counts from its figure: what the method added or rewrote is tokenized. */
    @Test
    void textsOtherThanThePromptsOwnAreTokenized() {
        PromptSource source = PromptSources.forWorkload(shape(LengthSpec.fixed(128), 0, Defaults.ENCODING), 3);
        ClientTokens tokens = ClientTokens.forTrial(Defaults.ENCODING, source);
        Tokenizer jtokkit = Tokenizers.forEncoding(Defaults.ENCODING);
        Prompt p = source.prompt(500);
        String system = "You are a terse assistant who answers in one line.";

        assertThat(tokens.count(ChatRequest.of(p).system(system), p))
                .isEqualTo(jtokkit.count(system) + 128)
                .isGreaterThan(128);
        String rewritten = "Summarise this: " + p.text();
        assertThat(tokens.count(ChatRequest.of(rewritten, 16), p)).isEqualTo(jtokkit.count(rewritten));
        // The same text in another String object is still the prompt's text.
        String copy = new String(p.text().toCharArray());
        assertThat(tokens.count(ChatRequest.of(copy, 16), p)).isEqualTo(128);
    }

    /** A source that does not vouch for its counts (here, one whose figure is wrong) is tokenized. */
    @Test
    void promptsOfASourceWithoutExactCountsAreTokenized() {
        PromptSource unsure = i -> new Prompt(i, "prompt " + i, 8, 4, false, null);
        ClientTokens tokens = ClientTokens.forTrial(Defaults.ENCODING, unsure);
        Prompt p = unsure.prompt(12);

        assertThat(tokens.promptsExact()).isFalse();
        assertThat(tokens.count(ChatRequest.of(p), p))
                .isEqualTo(Tokenizers.forEncoding(Defaults.ENCODING).count("prompt 12"))
                .isNotEqualTo(8);
    }

    /** Exact in one encoding says nothing about another: the trial's encoding decides. */
    @Test
    void promptsExactInAnotherEncodingAreTokenized() {
        PromptSource o200k = PromptSources.forWorkload(shape(LengthSpec.fixed(300), 0, "o200k_base"), 5);
        ClientTokens tokens = ClientTokens.forTrial("cl100k_base", o200k);
        Prompt p = o200k.prompt(2_000);

        assertThat(o200k.exactEncoding()).isEqualTo("o200k_base");
        assertThat(tokens.promptsExact()).isFalse();
        assertThat(tokens.count(ChatRequest.of(p), p))
                .isEqualTo(Tokenizers.forEncoding("cl100k_base").count(p.text()));
    }

    @Test
    void anUnknownEncodingCountsNothing() {
        PromptSource source = PromptSources.forWorkload(shape(LengthSpec.fixed(8), 0, Defaults.ENCODING), 1);
        Prompt p = source.prompt(0);

        assertThat(ClientTokens.forTrial("no_such_encoding", source).count(ChatRequest.of(p), p))
                .isEqualTo(-1);
    }

    /** Prompts resized for a server's tokenizer carry the server's count; unresized ones keep the base's. */
    @Test
    void serverSizedPromptsAreExactOnlyWhenNoneWasResized() {
        PromptSource base = PromptSources.forWorkload(shape(LengthSpec.fixed(64), 0, Defaults.ENCODING), 9);

        assertThat(ServerSizedPrompts.checkedLater(base, () -> null).exactEncoding())
                .isEqualTo(Defaults.ENCODING);
    }
}
