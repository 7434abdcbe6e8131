package dev.llmharness.benchmarks;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.Distribution;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Synthetic prompts of exact token counts ({@code @TokenShape}): every preset, explicit lengths,
 * length distributions and a shared prefix. The output length is enforced ({@code max_tokens} plus
 * {@code ignore_eos}/{@code min_tokens}) so that every request generates the tokens the shape
 * asks for. The presets run closed loop with 4 workers, each trial bounded by a request count
 * rather than by time, because the long-output presets take 30 s or more per request against the
 * default simulator (2,048 tokens at about 16 ms each).
 */
@ClosedLoop(concurrency = 4)
@Warmup(duration = "0s")
@Measurement(requests = 8, drainTimeout = "2m")
public class TokenShapeBenchmarks {

    /** {@code CHAT}: 256 input, 128 output tokens, a conversational turn (the default shape). */
    @Benchmark
    @TokenShape(preset = ShapePreset.CHAT)
    public ChatRequest chat(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code RAG}: 4,096 input, 512 output tokens, retrieval-augmented generation. */
    @Benchmark
    @TokenShape(preset = ShapePreset.RAG)
    public ChatRequest rag(Prompt prompt) {
        return ChatRequest.of(prompt).system("Answer from the context.");
    }

    /** {@code CODE}: 512 input, 512 output tokens, code generation. */
    @Benchmark
    @TokenShape(preset = ShapePreset.CODE)
    public ChatRequest code(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code SUMMARIZE}: 2,048 input, 256 output tokens, summarising a long document. */
    @Benchmark
    @TokenShape(preset = ShapePreset.SUMMARIZE)
    public ChatRequest summarize(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code SHORT_SHORT}: 128 input, 128 output tokens. */
    @Benchmark
    @TokenShape(preset = ShapePreset.SHORT_SHORT)
    public ChatRequest shortShort(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code SHORT_LONG}: 128 input, 2,048 output tokens: decode-bound. */
    @Benchmark
    @TokenShape(preset = ShapePreset.SHORT_LONG)
    public ChatRequest shortLong(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code LONG_SHORT}: 2,048 input, 128 output tokens: prefill-bound, watch TTFT. */
    @Benchmark
    @TokenShape(preset = ShapePreset.LONG_SHORT)
    public ChatRequest longShort(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** {@code LONG_LONG}: 2,048 input, 2,048 output tokens. */
    @Benchmark
    @TokenShape(preset = ShapePreset.LONG_LONG)
    public ChatRequest longLong(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Explicit lengths, one trial per input length (trial parameter {@code input}): how TTFT grows
     * with the prompt at a fixed 64-token output.
     */
    @Benchmark
    @TokenShape(
            input = {128, 1024},
            output = 64)
    public ChatRequest promptLength(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Varying lengths: prompts uniform over 200..800 tokens, outputs normal around 96 tokens
     * (standard deviation 24, clipped to 32..160), open loop at 5 requests/s for 8 s.
     */
    @Benchmark
    @OpenLoop(rate = 5)
    @Warmup(duration = "1s")
    @Measurement(duration = "8s")
    @TokenShape(
            inputDistribution = Distribution.UNIFORM,
            inputMin = 200,
            inputMax = 800,
            output = 96,
            outputDistribution = Distribution.NORMAL,
            outputStddev = 24,
            outputMin = 32,
            outputMax = 160)
    public ChatRequest mixedLengths(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Normal prompt lengths (mean 512, standard deviation 128, clipped to 128..1024) with a fixed
     * 64-token output.
     */
    @Benchmark
    @OpenLoop(rate = 5)
    @Warmup(duration = "1s")
    @Measurement(duration = "8s")
    @TokenShape(
            input = 512,
            inputDistribution = Distribution.NORMAL,
            inputStddev = 128,
            inputMin = 128,
            inputMax = 1024,
            output = 64)
    public ChatRequest normalLengths(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Every 2,048-token prompt starts with the same 1,536 tokens, as a long shared system prompt
     * or document does: a server with prefix (KV) caching answers these faster than {@link
     * #longShort}, which shares nothing.
     */
    @Benchmark
    @TokenShape(input = 2048, output = 128, sharedPrefix = 1536)
    public ChatRequest sharedPrefix(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
