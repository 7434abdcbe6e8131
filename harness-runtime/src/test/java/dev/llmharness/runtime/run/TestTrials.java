package dev.llmharness.runtime.run;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.testing.FixedSuite;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Trials, a suite and prompts for runtime tests (test code: the data package provides real ones). */
final class TestTrials {
    private TestTrials() {}

    static TrialSpec trial(
            String method, LoadModel load, Phase warmup, Phase measurement, Duration drain, SloSpec slo) {
        return new TrialSpec(
                "com.example.Bench." + method,
                Map.of("rate", "x"),
                load,
                warmup,
                measurement,
                drain,
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_TEST_KEY_UNSET"),
                slo,
                42);
    }

    /** Prompts of 8 tokens asking for 4. */
    static final PromptSource PROMPTS = i -> new Prompt(i, "prompt " + i, 8, 4, false, null);

    static BenchmarkSuite suite(List<TrialSpec> trials, RequestFactory factory) {
        return new FixedSuite("com.example.Bench", trials, factory);
    }

    static final RequestFactory CHAT = ChatRequest::of;
}
