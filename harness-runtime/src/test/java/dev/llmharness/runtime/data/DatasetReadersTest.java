package dev.llmharness.runtime.data;

import static dev.llmharness.runtime.data.Workloads.dataset;
import static dev.llmharness.runtime.data.Workloads.fields;
import static dev.llmharness.runtime.data.Workloads.filtered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.spi.DatasetWorkload;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReadersTest {
    private static final Tokenizer CL100K = Tokenizers.forEncoding("cl100k_base");

    private static LoadedDataset load(DatasetWorkload workload) {
        return DatasetLoader.load(workload, CL100K, workload.outputFromReference());
    }

    @Test
    void shareGptTakesTheFirstHumanTurnAndTheFirstModelTurnAfterIt() {
        LoadedDataset data = load(dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-small.json"));

        assertThat(data.prompts())
                .containsExactly(
                        "What is the capital of France?",
                        "Explain photosynthesis in one sentence.",
                        "Write a haiku about the sea.",
                        "Tell me a fact about owls.");
        assertThat(data.references())
                .containsExactly(
                        "The capital of France is Paris.",
                        "Plants turn light, water and carbon dioxide into sugar and oxygen.",
                        null,
                        "Owls can turn their heads about 270 degrees.");
        assertThat(data.promptTokens()[0]).isEqualTo(CL100K.count("What is the capital of France?"));
        assertThat(data.summary())
                .isEqualTo("read 5 records, kept 4; dropped 1 without a human turn to use as prompt"
                        + " (token counts under cl100k_base)");
    }

    @Test
    void shareGptWithOutputFromReferenceSkipsConversationsWithoutAnAnswer() {
        LoadedDataset data = load(filtered(
                dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-small.json"),
                1,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                true));

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.referenceTokens()[0]).isEqualTo(CL100K.count("The capital of France is Paris."));
        assertThat(data.summary()).contains("1 without a reference answer (output lengths come from it)");
    }

    @Test
    void aShareGptFileThatIsJsonLinesIsRejectedWithTheFormatToUse() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-as-jsonl.json")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/sharegpt-as-jsonl.json: a SHAREGPT file is one JSON array of"
                        + " {\"conversations\": [{\"from\": ..., \"value\": ...}]} records, but line 1 starts with"
                        + " an object; for one JSON object per line use format = JSONL (or DOLLY)");
    }

    @Test
    void aShareGptRecordWithoutConversationsIsNamedByNumberAndLine() {
        assertThatThrownBy(() ->
                        load(dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-no-conversations.json")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/sharegpt-no-conversations.json record 2 (line 3): record has no"
                        + " \"conversations\" array; a SHAREGPT file is one JSON array of {\"conversations\":"
                        + " [{\"from\": ..., \"value\": ...}]} records; fields present: [id, messages]");
    }

    @Test
    void invalidJsonInAShareGptFileNamesTheLine() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-invalid.json")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/sharegpt-invalid.json line 3 column 65: invalid JSON (Illegal"
                        + " unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be"
                        + " included in string value); a SHAREGPT file is one JSON array of {\"conversations\":"
                        + " [{\"from\": ..., \"value\": ...}]} records");
    }

    @Test
    void dollyJoinsInstructionAndContextAndSkipsBlankLines() {
        LoadedDataset data = load(dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl"));

        assertThat(data.prompts())
                .containsExactly(
                        "When did Virgin Australia start operating?\n\nVirgin Australia commenced services on"
                                + " 31 August 2000 as Virgin Blue, with two aircraft on a single route.",
                        "Which is a species of fish? Tope or Rope",
                        "Why can camels survive for long without water?",
                        "Give me a list of three primary colours.");
        assertThat(data.references()[1]).isEqualTo("Tope");
    }

    @Test
    void aDollyRecordWithoutInstructionNamesTheFileLineAndField() {
        assertThatThrownBy(
                        () -> load(dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-missing-instruction.jsonl")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/dolly-missing-instruction.jsonl line 3: record has no \"instruction\""
                        + " field (DOLLY records need \"instruction\"); fields present: [prompt, context, response]");
    }

    @Test
    void aUtf16FileIsNamedAsSuchWithHowToSaveItAsUtf8(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        // What Windows PowerShell's > writes: a byte-order mark, then two bytes a character.
        String line = "{\"instruction\": \"Say hi\", \"context\": \"\", \"response\": \"hi\"}\n";
        byte[] text = line.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(text, 0, bytes, 2, text.length);
        Path file = java.nio.file.Files.write(dir.resolve("dolly.jsonl"), bytes);

        assertThatThrownBy(() -> load(dataset(DatasetFormat.DOLLY, file.toString())))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("is UTF-16 text")
                .hasMessageContaining("save it as UTF-8");
    }

    @Test
    void textInAnotherEncodingNamesTheLineOfItsFirstBadByte(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        // 4,999 good lines (about 300 KiB, far past what the reader decodes ahead), then one word
        // saved as Latin-1 (0xE9 is no UTF-8), then more good lines.
        String good = "{\"instruction\": \"Say hi\", \"context\": \"\", \"response\": \"h\u00e9llo\"}\n";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 1; i < 5_000; i++) {
            bytes.writeBytes(good.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        bytes.writeBytes(good.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 100; i++) {
            bytes.writeBytes(good.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path file = java.nio.file.Files.write(dir.resolve("dolly.jsonl"), bytes.toByteArray());

        assertThatThrownBy(() -> load(dataset(DatasetFormat.DOLLY, file.toString())))
                .isInstanceOf(WorkloadException.class)
                .hasMessage(file + " line 5000 is not UTF-8 text (a binary file, or text in another encoding):"
                        + " save it as UTF-8");
    }

    @Test
    void invalidJsonOnALineNamesTheLine() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-invalid-line.jsonl")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/dolly-invalid-line.jsonl line 2: invalid JSON (Unexpected"
                        + " end-of-input: expected close marker for Object); a DOLLY file holds one JSON object per"
                        + " line");
    }

    @Test
    void aJsonArrayReadAsDollyPointsToShareGpt() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.DOLLY, "classpath:datasets/sharegpt-small.json")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/sharegpt-small.json line 1: a JSON array; a DOLLY file holds one"
                        + " JSON object per line (for a ShareGPT JSON array use format = SHAREGPT)");
    }

    @Test
    void billSumIsReadAsJsonLinesOrCsvByExtensionWithTheSameRecords() {
        LoadedDataset jsonl = load(dataset(DatasetFormat.BILLSUM, "classpath:datasets/billsum-small.jsonl"));
        LoadedDataset csv = load(dataset(DatasetFormat.BILLSUM, "classpath:datasets/billsum-small.csv"));

        assertThat(jsonl.size()).isEqualTo(2);
        assertThat(jsonl.references()).isEqualTo(csv.references());
        assertThat(jsonl.prompts()[1]).isEqualTo(csv.prompts()[1]);
        // The CSV's first text spans two lines inside quotes.
        assertThat(csv.prompts()[0]).contains("Clean Rivers Act.\nSEC. 2.");
        assertThat(jsonl.summary()).isEqualTo("read 2 records, kept 2 (token counts under cl100k_base)");
    }

    @Test
    void billSumWithAnUnknownExtensionAsksForJsonlOrCsv() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.BILLSUM, "classpath:datasets/sharegpt-small.json.gz")))
                .isInstanceOf(WorkloadException.class)
                .hasMessageStartingWith("BILLSUM dataset classpath:datasets/sharegpt-small.json.gz: cannot tell JSONL"
                        + " from CSV by the file extension 'gz'");
    }

    @Test
    void genericJsonLinesUsesTheConfiguredFields() {
        LoadedDataset data =
                load(fields(DatasetFormat.JSONL, "classpath:datasets/questions.jsonl", "question", "answer"));

        assertThat(data.prompts()).hasSize(3).contains("Who wrote Hamlet?");
        assertThat(data.references()).containsExactly("Eight.", "Carbon dioxide.", null);
    }

    @Test
    void genericJsonLinesWithAMissingPromptFieldNamesTheField() {
        assertThatThrownBy(() -> load(fields(DatasetFormat.JSONL, "classpath:datasets/questions.jsonl", "prompt", "")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/questions.jsonl line 1: record has no \"prompt\" field"
                        + " (promptField = \"prompt\"); fields present: [question, answer]");
    }

    @Test
    void genericCsvReadsQuotedFieldsByHeaderName() {
        LoadedDataset data = load(fields(DatasetFormat.CSV, "classpath:datasets/questions.csv", "question", "answer"));

        assertThat(data.prompts())
                .containsExactly(
                        "How many legs does a spider have?",
                        "What gas do plants absorb, mostly?",
                        "Who wrote \"Hamlet\"?");
        assertThat(data.references()).containsExactly("Eight.", "Carbon dioxide.", "");
    }

    @Test
    void aCsvWithoutThePromptColumnListsTheColumns() {
        assertThatThrownBy(() -> load(fields(DatasetFormat.CSV, "classpath:datasets/questions.csv", "prompt", "")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/questions.csv line 1: the header has no \"prompt\" column"
                        + " (CSV prompt column); columns present: [id, question, answer]");
    }

    @Test
    void aCsvWithoutTheReferenceColumnListsTheColumns() {
        assertThatThrownBy(
                        () -> load(fields(DatasetFormat.CSV, "classpath:datasets/questions.csv", "question", "reply")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/questions.csv line 1: the header has no \"reply\" column"
                        + " (CSV reference column); columns present: [id, question, answer]");
    }

    @Test
    void aShortCsvRowNamesTheRecordAndTheColumn() {
        assertThatThrownBy(() ->
                        load(fields(DatasetFormat.CSV, "classpath:datasets/questions-short-row.csv", "question", "")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/questions-short-row.csv record 2 (line 3): the row has 1 field and"
                        + " no value for the \"question\" column");
    }

    @Test
    void anUnterminatedQuoteInACsvIsMalformedNearItsLine() {
        assertThatThrownBy(() ->
                        load(fields(DatasetFormat.CSV, "classpath:datasets/questions-open-quote.csv", "question", "")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("classpath:datasets/questions-open-quote.csv near line 3: malformed CSV ((startline 3) EOF"
                        + " reached before encapsulated token finished)");
    }

    @Test
    void aMissingFileNamesThePathAndTheWorkingDirectory() {
        String cwd = Path.of("").toAbsolutePath().toString();

        assertThatThrownBy(() -> load(dataset(DatasetFormat.SHAREGPT, "data/no-such-sharegpt.json")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("dataset file not found: data/no-such-sharegpt.json (looked for " + cwd
                        + "/data/no-such-sharegpt.json; working directory " + cwd
                        + "). Download the dataset (see docs/workloads.md) or fix the path in @Dataset(path = ...)");
    }

    @Test
    void aMissingClassPathResourceIsNamed() {
        assertThatThrownBy(() -> load(dataset(DatasetFormat.DOLLY, "classpath:datasets/nothing.jsonl")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("dataset resource not found on the class path: classpath:datasets/nothing.jsonl; put the"
                        + " file under src/main/resources or src/test/resources, or give a file path");
    }

    @Test
    void aFileWithoutRecordsSaysSo() {
        assertThatThrownBy(() -> load(fields(DatasetFormat.JSONL, "classpath:datasets/empty.jsonl", "prompt", "")))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("dataset classpath:datasets/empty.jsonl has no usable record: read 0 records, kept 0"
                        + " (token counts under cl100k_base). The file holds no records; check that it is the right"
                        + " file");
    }

    @Test
    void filtersDropRecordsOutsideTheTokenBoundsAndSayWhichFilterDroppedThem() {
        DatasetWorkload base = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");
        int[] lengths = load(base).promptTokens();
        int shortest = Arrays.stream(lengths).min().orElseThrow();
        int longest = Arrays.stream(lengths).max().orElseThrow();

        LoadedDataset middle = load(filtered(base, shortest + 1, longest - 1, Integer.MAX_VALUE, false));

        assertThat(Arrays.stream(middle.promptTokens()).boxed())
                .allSatisfy(n -> assertThat(n).isBetween(shortest + 1, longest - 1));
        assertThat(middle.size()).isEqualTo(2);
        assertThat(middle.summary())
                .isEqualTo("read 4 records, kept 2; dropped 1 below minInputTokens=" + (shortest + 1) + ", 1 above"
                        + " maxInputTokens=" + (longest - 1) + " (token counts under cl100k_base)");
    }

    @Test
    void maxOutputTokensFiltersOnTheReferenceLength() {
        DatasetWorkload base = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");

        LoadedDataset data = load(filtered(base, 1, Integer.MAX_VALUE, 10, true));

        assertThat(Arrays.stream(data.referenceTokens()).boxed())
                .allSatisfy(n -> assertThat(n).isBetween(1, 10));
        assertThat(List.of(data.references())).containsExactly("Tope", "Red, yellow and blue.");
    }

    @Test
    void nothingLeftAfterFilteringSaysHowManyWereDroppedAndWhatToRelax() {
        DatasetWorkload base = dataset(DatasetFormat.DOLLY, "classpath:datasets/dolly-small.jsonl");

        assertThatThrownBy(() -> load(filtered(base, 5_000, 10_000, Integer.MAX_VALUE, false)))
                .isInstanceOf(WorkloadException.class)
                .hasMessage("dataset classpath:datasets/dolly-small.jsonl has no usable record: read 4 records, kept 0;"
                        + " dropped 4 below minInputTokens=5000 (token counts under cl100k_base). Relax the filter:"
                        + " lower minInputTokens");
    }

    @Test
    void limitStopsReadingAfterThatManyRecords() {
        DatasetWorkload limited = Workloads.sampled(
                dataset(DatasetFormat.SHAREGPT, "classpath:datasets/sharegpt-small.json"),
                dev.llmharness.api.Sampling.WITH_REPLACEMENT,
                2);

        LoadedDataset data = load(limited);

        assertThat(data.prompts()).containsExactly("What is the capital of France?");
        assertThat(data.summary()).startsWith("read 2 records (limit 2), kept 1;");
    }
}
