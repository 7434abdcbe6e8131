package dev.llmharness.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.ShapeWorkload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShapePromptsTest {
    private static final Tokenizer CL100K = Tokenizers.forEncoding(Defaults.ENCODING);

    private static ShapeWorkload shape(LengthSpec input, LengthSpec output, int sharedPrefix, String encoding) {
        return new ShapeWorkload(ShapePreset.NONE, input, output, sharedPrefix, true, encoding, null);
    }

    @ParameterizedTest
    @EnumSource(value = ShapePreset.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyPresetGivesPromptsOfExactlyItsInputLengthAndAsksForItsOutputLength(ShapePreset preset) {
        for (long seed = -3; seed < 12; seed++) {
            PromptSource source = PromptSources.forWorkload(ShapeWorkload.of(preset, Defaults.ENCODING), seed);
            for (long i = 0; i < 6; i++) {
                Prompt prompt = source.prompt(i * 997);

                assertThat(CL100K.count(prompt.text())).isEqualTo(preset.inputTokens());
                assertThat(prompt.inputTokens()).isEqualTo(preset.inputTokens());
                assertThat(prompt.outputTokens()).isEqualTo(preset.outputTokens());
                assertThat(prompt.exactOutput()).isTrue();
                assertThat(prompt.index()).isEqualTo(i * 997);
                assertThat(prompt.reference()).isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base"})
    void fixedLengthsAreExactUnderEveryEncodingOverManySeeds(String encoding) {
        Tokenizer tokenizer = Tokenizers.forEncoding(encoding);
        for (int length : new int[] {1, 2, 3, 4, 5, 7, 31, 256, 1000}) {
            for (long seed = 0; seed < 20; seed++) {
                PromptSource source = PromptSources.forWorkload(
                        shape(LengthSpec.fixed(length), LengthSpec.fixed(16), 0, encoding), seed);
                Prompt prompt = source.prompt(seed * 31);
                assertThat(tokenizer.count(prompt.text()))
                        .as("%d tokens, seed %d, %s", length, seed, encoding)
                        .isEqualTo(length);
            }
        }
    }

    @Test
    void uniformLengthsStayWithinBoundsCoverThemAndAreExact() {
        PromptSource source = PromptSources.forWorkload(
                shape(LengthSpec.uniform(50, 150), LengthSpec.uniform(10, 20), 0, Defaults.ENCODING), 3);
        List<Integer> inputs = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();

        for (long i = 0; i < 2_000; i++) {
            Prompt prompt = source.prompt(i);
            assertThat(CL100K.count(prompt.text())).isEqualTo(prompt.inputTokens());
            inputs.add(prompt.inputTokens());
            outputs.add(prompt.outputTokens());
        }

        assertThat(inputs).allSatisfy(n -> assertThat(n).isBetween(50, 150)).contains(50, 150);
        assertThat(outputs).allSatisfy(n -> assertThat(n).isBetween(10, 20)).contains(10, 20);
        assertThat(mean(inputs)).isCloseTo(100, within(3.0));
        assertThat(mean(outputs)).isCloseTo(15, within(0.5));
    }

    @Test
    void normalLengthsHaveTheRequestedMeanAndSpreadClippedToBounds() {
        PromptSource source = PromptSources.forWorkload(
                shape(LengthSpec.normal(300, 40, 200, 360), LengthSpec.normal(100, 10, 1, 1000), 0, Defaults.ENCODING),
                11);
        List<Integer> inputs = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();

        for (long i = 0; i < 3_000; i++) {
            Prompt prompt = source.prompt(i);
            if (i < 300) {
                assertThat(CL100K.count(prompt.text())).isEqualTo(prompt.inputTokens());
            }
            inputs.add(prompt.inputTokens());
            outputs.add(prompt.outputTokens());
        }

        assertThat(inputs).allSatisfy(n -> assertThat(n).isBetween(200, 360)).contains(360);
        // Clipping at 360 (1.5 sigma) pulls the mean a little below 300.
        assertThat(mean(inputs)).isCloseTo(296, within(4.0));
        assertThat(mean(outputs)).isCloseTo(100, within(1.0));
        assertThat(stddev(outputs)).isCloseTo(10, within(1.0));
    }

    @Test
    void theSameSeedGivesTheSamePromptsInAnyOrderAndAnotherSeedDifferentOnes() {
        ShapeWorkload chat = ShapeWorkload.of(ShapePreset.CHAT, Defaults.ENCODING);
        PromptSource first = PromptSources.forWorkload(chat, 42);
        PromptSource again = PromptSources.forWorkload(chat, 42);
        PromptSource other = PromptSources.forWorkload(chat, 43);

        List<Prompt> forward = IntStream.range(0, 50).mapToObj(first::prompt).toList();
        List<Prompt> backward = new ArrayList<>();
        for (int i = 49; i >= 0; i--) {
            backward.add(0, again.prompt(i));
        }

        assertThat(backward).isEqualTo(forward);
        for (int i = 0; i < 50; i++) {
            assertThat(other.prompt(i).text()).isNotEqualTo(forward.get(i).text());
        }
    }

    @Test
    void noTwoPromptsOfATrialAreIdenticalEvenWhenShort() {
        PromptSource source =
                PromptSources.forWorkload(shape(LengthSpec.fixed(4), LengthSpec.fixed(8), 0, Defaults.ENCODING), 5);
        Set<String> texts = new HashSet<>();

        for (long i = 0; i < 20_000; i++) {
            assertThat(texts.add(source.prompt(i).text()))
                    .as("prompt %d is new", i)
                    .isTrue();
        }
    }

    @Test
    void aSharedPrefixIsIdenticalAcrossPromptsAndCountedInTheirLength() {
        int prefixTokens = 100;
        PromptSource source = PromptSources.forWorkload(
                shape(LengthSpec.uniform(120, 400), LengthSpec.fixed(32), prefixTokens, Defaults.ENCODING), 9);
        int[] prefixIds = null;
        Set<String> texts = new HashSet<>();

        for (long i = 0; i < 200; i++) {
            Prompt prompt = source.prompt(i);
            int[] ids = CL100K.encode(prompt.text());
            assertThat(ids).hasSize(prompt.inputTokens());
            int[] prefix = java.util.Arrays.copyOf(ids, prefixTokens);
            if (prefixIds == null) {
                prefixIds = prefix;
            }
            assertThat(prefix).isEqualTo(prefixIds);
            // The token right after the prefix is where prompts start to differ.
            assertThat(texts.add(prompt.text())).isTrue();
        }
        String prefixText = CL100K.decode(prefixIds);
        assertThat(source.prompt(0).text()).startsWith(prefixText);
        assertThat(source.prompt(1).text()).startsWith(prefixText);
        assertThat(source.prompt(0).text().substring(prefixText.length()))
                .isNotEqualTo(source.prompt(1).text().substring(prefixText.length()));
    }

    @Test
    void promptsAreEnglishLikeSentences() {
        String text = PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.CHAT, Defaults.ENCODING), 1)
                .prompt(0)
                .text();

        assertThat(text).matches("[ A-Za-z.,]+").contains(". ");
    }

    @Test
    void anUnknownEncodingIsAWorkloadErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.CHAT, "gpt2"), 1))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("unknown tokenizer encoding 'gpt2'; known encodings: r50k_base, p50k_base, p50k_edit,"
                        + " cl100k_base, o200k_base; set encoding on @TokenShape or @Dataset");
    }

    @Test
    void anUnboundedUniformRangeIsRejectedWithTheAttributeToSet() {
        ShapeWorkload unbounded =
                shape(LengthSpec.uniform(1, Integer.MAX_VALUE), LengthSpec.fixed(8), 0, "cl100k_base");

        assertThatThrownBy(() -> PromptSources.forWorkload(unbounded, 1))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("UNIFORM input length of up to 2147483647 tokens is beyond the 1048576-token limit; set"
                        + " inputMax on @TokenShape (UNIFORM needs an explicit inputMin and inputMax)");
    }

    @Test
    void presetNumbersAreTheDocumentedShapes() {
        assertThat(ShapePreset.CHAT.inputTokens()).isEqualTo(256);
        assertThat(ShapePreset.CHAT.outputTokens()).isEqualTo(128);
        assertThat(ShapePreset.RAG.inputTokens()).isEqualTo(4096);
        assertThat(ShapePreset.RAG.outputTokens()).isEqualTo(512);
        assertThat(ShapePreset.CODE.inputTokens()).isEqualTo(512);
        assertThat(ShapePreset.CODE.outputTokens()).isEqualTo(512);
        assertThat(ShapePreset.SUMMARIZE.inputTokens()).isEqualTo(2048);
        assertThat(ShapePreset.SUMMARIZE.outputTokens()).isEqualTo(256);
        assertThat(ShapePreset.SHORT_SHORT.inputTokens()).isEqualTo(128);
        assertThat(ShapePreset.SHORT_SHORT.outputTokens()).isEqualTo(128);
        assertThat(ShapePreset.SHORT_LONG.inputTokens()).isEqualTo(128);
        assertThat(ShapePreset.SHORT_LONG.outputTokens()).isEqualTo(2048);
        assertThat(ShapePreset.LONG_SHORT.inputTokens()).isEqualTo(2048);
        assertThat(ShapePreset.LONG_SHORT.outputTokens()).isEqualTo(128);
        assertThat(ShapePreset.LONG_LONG.inputTokens()).isEqualTo(2048);
        assertThat(ShapePreset.LONG_LONG.outputTokens()).isEqualTo(2048);
    }

    @Test
    void promptsAreSafeToTakeFromManyThreadsAtOnce() throws Exception {
        PromptSource source = PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.CHAT, Defaults.ENCODING), 8);
        List<Prompt> expected = IntStream.range(0, 400).mapToObj(source::prompt).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Prompt>> futures = new ArrayList<>();
            for (int i = 399; i >= 0; i--) {
                int index = i;
                futures.add(pool.submit(() -> source.prompt(index)));
            }
            for (int i = 0; i < 400; i++) {
                assertThat(futures.get(i).get()).isEqualTo(expected.get(399 - i));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
    }

    static double mean(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).average().orElseThrow();
    }

    static double stddev(List<Integer> values) {
        double mean = mean(values);
        return Math.sqrt(
                values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1));
    }
}
