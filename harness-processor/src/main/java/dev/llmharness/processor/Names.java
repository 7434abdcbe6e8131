package dev.llmharness.processor;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.Dataset;
import dev.llmharness.api.Endpoint;
import dev.llmharness.api.Limits;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Param;
import dev.llmharness.api.Seed;
import dev.llmharness.api.Slo;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;
import java.util.List;
import java.util.Set;

/** Qualified names the processor looks for. */
final class Names {
    static final String BENCHMARK = Benchmark.class.getCanonicalName();
    static final String PARAM = Param.class.getCanonicalName();
    static final String OPEN_LOOP = OpenLoop.class.getCanonicalName();
    static final String CLOSED_LOOP = ClosedLoop.class.getCanonicalName();
    static final String TOKEN_SHAPE = TokenShape.class.getCanonicalName();
    static final String DATASET = Dataset.class.getCanonicalName();
    static final String WARMUP = Warmup.class.getCanonicalName();
    static final String MEASUREMENT = Measurement.class.getCanonicalName();
    static final String ENDPOINT = Endpoint.class.getCanonicalName();
    static final String SLO = Slo.class.getCanonicalName();
    static final String SEED = Seed.class.getCanonicalName();

    /** Annotations allowed on a benchmark class or method, as defaults or overrides. */
    static final List<String> CONFIGURATION =
            List.of(OPEN_LOOP, CLOSED_LOOP, TOKEN_SHAPE, DATASET, WARMUP, MEASUREMENT, ENDPOINT, SLO, SEED);

    static final String PROMPT = "dev.llmharness.api.Prompt";
    static final String CHAT_REQUEST = "dev.llmharness.api.ChatRequest";
    static final String COMPLETION_REQUEST = "dev.llmharness.api.CompletionRequest";
    static final String LLM_REQUEST = "dev.llmharness.api.LlmRequest";

    /** Encodings bundled with jtokkit: the only ones the runtime can load without a download. */
    static final List<String> ENCODINGS = Limits.ENCODINGS;

    /** Names the load and token-shape trial parameters use; {@code @Param} fields may not take them. */
    static final Set<String> RESERVED_PARAMS = Set.of("rate", "concurrency", "input", "output");

    static final String SUITE_SUFFIX = "_BenchmarkSuite";
    static final String SERVICE_FILE = "META-INF/services/dev.llmharness.api.spi.BenchmarkSuite";

    private Names() {}
}
