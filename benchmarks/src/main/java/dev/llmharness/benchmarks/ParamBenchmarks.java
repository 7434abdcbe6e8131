package dev.llmharness.benchmarks;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.Param;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Benchmark parameters ({@code @Param}): each value is one trial, crossed with the load values and
 * with the other parameters. Here an enum and a double: 2 styles x 2 temperatures = 4 trials, with
 * ids such as {@code ...ParamBenchmarks.answer{concurrency=4, style=TERSE, temperature=0.0}}.
 */
@ClosedLoop(concurrency = 4)
@Warmup(duration = "1s")
@Measurement(duration = "6s")
@TokenShape(input = 256, output = 64)
public class ParamBenchmarks {

    /** How the system prompt asks the model to answer. */
    public enum Style {
        /** One sentence. */
        TERSE("Answer in one sentence."),
        /** Step by step. */
        DETAILED("Explain your answer step by step.");

        final String systemPrompt;

        Style(String systemPrompt) {
            this.systemPrompt = systemPrompt;
        }
    }

    /** Set by the generated runner from the trial's parameters: an enum constant's name. */
    @Param({"TERSE", "DETAILED"})
    Style style;

    /** Sampling temperature sent with every request. */
    @Param({"0.0", "0.7"})
    double temperature;

    /** A chat request with the style's system prompt and the trial's temperature. */
    @Benchmark
    public ChatRequest answer(Prompt prompt) {
        return ChatRequest.of(prompt).system(style.systemPrompt).temperature(temperature);
    }
}
