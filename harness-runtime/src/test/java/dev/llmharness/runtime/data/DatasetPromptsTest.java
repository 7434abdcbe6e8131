package dev.llmharness.runtime.data;

import static dev.llmharness.runtime.data.Workloads.dataset;
import static dev.llmharness.runtime.data.Workloads.fields;
import static dev.llmharness.runtime.data.Workloads.filtered;
import static dev.llmharness.runtime.data.Workloads.sampled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.ShapeWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetPromptsTest {
    private static final int RECORDS = 100;
    private static final Tokenizer CL100K = Tokenizers.forEncoding(Defaults.ENCODING);

    @TempDir
    static Path directory;

    private static DatasetWorkload hundred;

    @BeforeAll
    static void writeAHundredRecordDataset() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            lines.add("{\"q\": \"Question number " + i + "?\", \"a\": \"Answer " + i + ".\"}");
        }
        Path file = directory.resolve("hundred.jsonl");
        Files.write(file, lines);
        hundred = fields(DatasetFormat.JSONL, file.toString(), "q", "a");
    }

    private static List<String> texts(PromptSource source, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> source.prompt(i).text()).collect(Collectors.toList());
    }

    @Test
    void withoutReplacementUsesEveryRecordOncePerEpochInANewOrderEachEpoch() {
        PromptSource source = PromptSources.forWorkload(sampled(hundred, Sampling.WITHOUT_REPLACEMENT, 0), 42);

        List<String> first = texts(source, 0, RECORDS);
        List<String> second = texts(source, RECORDS, 2 * RECORDS);

        assertThat(new HashSet<>(first)).hasSize(RECORDS);
        assertThat(new HashSet<>(second)).isEqualTo(new HashSet<>(first));
        assertThat(second).isNotEqualTo(first);
        assertThat(first).isNotEqualTo(texts(PromptSources.forWorkload(hundred, 42), 0, RECORDS));
    }

    @Test
    void withoutReplacementIsAPureFunctionOfSeedAndIndexWhateverTheCallOrder() {
        DatasetWorkload workload = sampled(hundred, Sampling.WITHOUT_REPLACEMENT, 0);
        PromptSource inOrder = PromptSources.forWorkload(workload, 7);
        PromptSource jumping = PromptSources.forWorkload(workload, 7);
        List<String> expected = texts(inOrder, 0, 5 * RECORDS);

        // Jump between epochs 4, 0, 2, 1, 3 so that the two-epoch cache is refilled repeatedly.
        Map<Integer, String> seen = new HashMap<>();
        for (int epoch : new int[] {4, 0, 2, 1, 3, 0}) {
            for (int i = epoch * RECORDS + RECORDS - 1; i >= epoch * RECORDS; i -= 3) {
                seen.put(i, jumping.prompt(i).text());
            }
        }

        seen.forEach((index, text) -> assertThat(text).isEqualTo(expected.get(index)));
        assertThat(texts(PromptSources.forWorkload(workload, 8), 0, RECORDS))
                .isNotEqualTo(expected.subList(0, RECORDS));
    }

    @Test
    void withoutReplacementGivesTheSameRecordsWhenManyThreadsCrossEpochsAtOnce() throws Exception {
        DatasetWorkload workload = sampled(hundred, Sampling.WITHOUT_REPLACEMENT, 0);
        List<String> expected = texts(PromptSources.forWorkload(workload, 21), 0, 8 * RECORDS);
        PromptSource shared = PromptSources.forWorkload(workload, 21);
        String[] taken = new String[8 * RECORDS];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            // Thread t takes indexes t, t+4, t+8, ...: all four keep crossing epoch boundaries together.
            threads.add(new Thread(() -> {
                for (int i = first; i < taken.length; i += 4) {
                    taken[i] = shared.prompt(i).text();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(List.of(taken)).isEqualTo(expected);
    }

    @Test
    void withReplacementDrawsEachRecordAboutEquallyOftenAndRepeatsWithinAnEpoch() {
        PromptSource source = PromptSources.forWorkload(hundred, 1);
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 20_000; i++) {
            counts.merge(source.prompt(i).text(), 1, Integer::sum);
        }

        assertThat(counts).hasSize(RECORDS);
        // Binomial(20000, 0.01): mean 200, sigma 14; these bounds are over 5 sigma wide.
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(125, 275));
        assertThat(new HashSet<>(texts(source, 0, RECORDS))).hasSizeLessThan(RECORDS);
        assertThat(texts(PromptSources.forWorkload(hundred, 1), 0, 500)).isEqualTo(texts(source, 0, 500));
        assertThat(texts(PromptSources.forWorkload(hundred, 2), 0, 500)).isNotEqualTo(texts(source, 0, 500));
    }

    @Test
    void datasetPromptsCarryTheirCountsReferenceAndTheFixedOutputLength() {
        PromptSource source = PromptSources.forWorkload(hundred, 3);

        for (int i = 0; i < 50; i++) {
            Prompt prompt = source.prompt(i);
            assertThat(prompt.inputTokens()).isEqualTo(CL100K.count(prompt.text()));
            assertThat(prompt.outputTokens()).isEqualTo(Defaults.DATASET_OUTPUT_TOKENS);
            assertThat(prompt.exactOutput()).isTrue();
            String number = prompt.text().replaceAll("\\D", "");
            assertThat(prompt.reference()).isEqualTo("Answer " + number + ".");
        }
    }

    @Test
    void theFixedOutputLengthIsCappedByMaxOutputTokens() {
        PromptSource source = PromptSources.forWorkload(filtered(hundred, 1, Integer.MAX_VALUE, 50, false), 3);

        assertThat(source.prompt(0).outputTokens()).isEqualTo(50);
    }

    @Test
    void outputFromReferenceAsksForAsManyTokensAsTheReferenceHas() {
        PromptSource source = PromptSources.forWorkload(
                filtered(
                        dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl"),
                        1,
                        Integer.MAX_VALUE,
                        Integer.MAX_VALUE,
                        true),
                5);

        for (int i = 0; i < 20; i++) {
            Prompt prompt = source.prompt(i);
            assertThat(prompt.outputTokens()).isEqualTo(CL100K.count(prompt.reference()));
        }
    }

    @Test
    void limitedDatasetsOnlyServeTheRecordsRead() {
        PromptSource source = PromptSources.forWorkload(sampled(hundred, Sampling.WITHOUT_REPLACEMENT, 10), 5);

        assertThat(new HashSet<>(texts(source, 0, 30)))
                .isEqualTo(IntStream.range(0, 10)
                        .mapToObj(i -> "Question number " + i + "?")
                        .collect(Collectors.toSet()));
    }

    @Test
    void empiricalLengthsComeFromTheDatasetsPromptsAndReferencesInPairs() {
        DatasetWorkload dolly = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");
        LoadedDataset loaded = DatasetLoader.load(dolly, CL100K, true);
        Set<List<Integer>> pairs = new HashSet<>();
        for (int r = 0; r < loaded.size(); r++) {
            pairs.add(List.of(loaded.promptTokens()[r], loaded.referenceTokens()[r]));
        }
        ShapeWorkload empirical = new ShapeWorkload(
                ShapePreset.NONE,
                LengthSpec.empirical(1, Integer.MAX_VALUE),
                LengthSpec.empirical(1, Integer.MAX_VALUE),
                0,
                true,
                Defaults.ENCODING,
                dolly);
        PromptSource source = PromptSources.forWorkload(empirical, 13);
        Set<List<Integer>> drawn = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            Prompt prompt = source.prompt(i);
            assertThat(CL100K.count(prompt.text())).isEqualTo(prompt.inputTokens());
            assertThat(prompt.text()).doesNotContain("Virgin");
            drawn.add(List.of(prompt.inputTokens(), prompt.outputTokens()));
        }

        assertThat(drawn).isEqualTo(pairs);
    }

    @Test
    void empiricalInputWithAFixedOutputKeepsOnlyDatasetLengthsWithinTheBounds() {
        DatasetWorkload dolly = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");
        int[] lengths = DatasetLoader.load(dolly, CL100K, false).promptTokens();
        int longest = java.util.Arrays.stream(lengths).max().orElseThrow();
        ShapeWorkload empirical = new ShapeWorkload(
                ShapePreset.NONE,
                LengthSpec.empirical(1, longest - 1),
                LengthSpec.fixed(64),
                0,
                false,
                Defaults.ENCODING,
                dolly);
        PromptSource source = PromptSources.forWorkload(empirical, 13);

        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Prompt prompt = source.prompt(i);
            assertThat(prompt.outputTokens()).isEqualTo(64);
            assertThat(prompt.exactOutput()).isFalse();
            drawn.add(prompt.inputTokens());
        }

        Set<Integer> expected = java.util.Arrays.stream(lengths)
                .filter(n -> n < longest)
                .boxed()
                .collect(Collectors.toSet());
        assertThat(drawn).isEqualTo(expected);
    }

    @Test
    void empiricalBoundsThatExcludeEveryRecordAreAWorkloadError() {
        DatasetWorkload dolly = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");
        ShapeWorkload empirical = new ShapeWorkload(
                ShapePreset.NONE,
                LengthSpec.empirical(3000, 4000),
                LengthSpec.fixed(64),
                0,
                true,
                Defaults.ENCODING,
                dolly);

        assertThatThrownBy(() -> PromptSources.forWorkload(empirical, 13))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("EMPIRICAL lengths: no record of classpath:datasets/dolly-small.jsonl has a prompt length"
                        + " in [3000, 4000] tokens (read 4 records, kept 4 (token counts under cl100k_base)); widen"
                        + " the min/max bounds on @TokenShape");
    }

    @Test
    void aMissingDatasetFailsInForWorkloadBeforeAnyPromptIsTaken() {
        assertThatThrownBy(() -> PromptSources.forWorkload(
                        dataset(DatasetFormat.SHAREGPT, "missing/ShareGPT_V3_unfiltered_cleaned_split.json"), 1))
                .isInstanceOf(WorkloadException.class)
                .hasMessageStartingWith("dataset file not found: missing/ShareGPT_V3_unfiltered_cleaned_split.json");
    }
}
