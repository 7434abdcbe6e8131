package dev.llmharness.benchmarks;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Dataset;
import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Distribution;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Prompts from files ({@code @Dataset}), one benchmark per format. The files are small fixtures
 * under {@code benchmarks/src/main/resources/datasets/}, read from the class path ({@code
 * classpath:datasets/...}); for the public datasets, download them (see {@code docs/workloads.md})
 * and give their path instead, e.g. {@code path = "data/ShareGPT_V3_unfiltered_cleaned_split.json"}.
 * Open loop at the class's {@code @OpenLoop} rate, except {@link #dolly}, which sets its own.
 */
@OpenLoop(rate = 4)
@Warmup(duration = "1s")
@Measurement(duration = "10s")
public class DatasetBenchmarks {

    /**
     * ShareGPT (one JSON array of conversations): the first human turn is the prompt, and the
     * output length asked for is the length of the first answer, as vLLM's ShareGPT benchmark
     * does. Conversations without a human turn are skipped.
     */
    @Benchmark
    @Dataset(
            format = DatasetFormat.SHAREGPT,
            path = "classpath:datasets/sharegpt.json",
            outputFromReference = true,
            maxOutputTokens = 256)
    public ChatRequest sharegpt(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Dolly (JSONL: {@code instruction}, {@code context}, {@code response}): instruction and context
     * are the prompt; every request asks for 64 output tokens. Part of the default {@code -Pbench}
     * run, hence its own rate and window: at the class's, its window held too few requests for the
     * gate to decide its TTFT median from three runs a side (the median moved by several percent
     * between runs of one workload, against a 5 % threshold).
     */
    @Benchmark
    @OpenLoop(rate = 25)
    @Warmup(duration = "2s")
    @Measurement(duration = "12s")
    @Dataset(format = DatasetFormat.DOLLY, path = "classpath:datasets/dolly.jsonl", outputTokens = 64)
    public ChatRequest dolly(Prompt prompt) {
        return ChatRequest.of(prompt).system("Answer briefly.");
    }

    /**
     * BillSum as JSONL ({@code text}, {@code summary}): summarise a bill; the output length is the
     * reference summary's.
     */
    @Benchmark
    @Dataset(format = DatasetFormat.BILLSUM, path = "classpath:datasets/billsum.jsonl", outputFromReference = true)
    public ChatRequest billsumJsonl(Prompt prompt) {
        return ChatRequest.of(prompt).system("Summarise this bill in one sentence.");
    }

    /** BillSum as CSV with a header row: the format follows the file extension. */
    @Benchmark
    @Dataset(format = DatasetFormat.BILLSUM, path = "classpath:datasets/billsum.csv", outputFromReference = true)
    public ChatRequest billsumCsv(Prompt prompt) {
        return ChatRequest.of(prompt).system("Summarise this bill in one sentence.");
    }

    /**
     * Your own JSONL file: name the prompt field, and the reference field when the output length
     * should follow it. Each record is used once per pass, in a new seeded order each pass
     * ({@code WITHOUT_REPLACEMENT}).
     */
    @Benchmark
    @Dataset(
            format = DatasetFormat.JSONL,
            path = "classpath:datasets/questions.jsonl",
            promptField = "question",
            referenceField = "answer",
            outputFromReference = true,
            sampling = Sampling.WITHOUT_REPLACEMENT)
    public ChatRequest jsonl(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Your own CSV file (RFC 4180, header row): name the prompt column; here every request asks for
     * 48 output tokens and prompts shorter than 8 tokens are skipped.
     */
    @Benchmark
    @Dataset(
            format = DatasetFormat.CSV,
            path = "classpath:datasets/questions.csv",
            promptField = "question",
            outputTokens = 48,
            minInputTokens = 8)
    public ChatRequest csv(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Real traffic's lengths with synthetic text: each request draws a ShareGPT record and uses
     * its prompt length and its answer's length ({@code EMPIRICAL}), with prompts of exactly that
     * many synthetic tokens.
     */
    @Benchmark
    @TokenShape(
            inputDistribution = Distribution.EMPIRICAL,
            inputMax = 4096,
            outputDistribution = Distribution.EMPIRICAL,
            outputMax = 512)
    @Dataset(format = DatasetFormat.SHAREGPT, path = "classpath:datasets/sharegpt.json")
    public ChatRequest empiricalLengths(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
