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
    static final String RAMP = dev.llmharness.api.Ramp.class.getCanonicalName();
    static final String STAGES = dev.llmharness.api.Stages.class.getCanonicalName();
    static final String STEP = dev.llmharness.api.Step.class.getCanonicalName();
    static final String SPIKE = dev.llmharness.api.Spike.class.getCanonicalName();
    static final String SOAK = dev.llmharness.api.Soak.class.getCanonicalName();
    static final String TRACE_REPLAY = dev.llmharness.api.TraceReplay.class.getCanonicalName();
    static final String WORKER_STAGES = dev.llmharness.api.WorkerStages.class.getCanonicalName();

    /**
     * The load-model annotations: a benchmark has exactly one, read by that annotation's reader in
     * {@link LoadReaders} (a test holds the two lists to each other).
     */
    static final List<String> LOAD =
            List.of(OPEN_LOOP, CLOSED_LOOP, RAMP, STAGES, STEP, SPIKE, SOAK, TRACE_REPLAY, WORKER_STAGES);

    static final String TOKEN_SHAPE = TokenShape.class.getCanonicalName();
    static final String DATASET = Dataset.class.getCanonicalName();
    static final String WARMUP = Warmup.class.getCanonicalName();
    static final String MEASUREMENT = Measurement.class.getCanonicalName();
    static final String ENDPOINT = Endpoint.class.getCanonicalName();
    static final String SLO = Slo.class.getCanonicalName();
    static final String COST = dev.llmharness.api.Cost.class.getCanonicalName();
    static final String FORK = dev.llmharness.api.Fork.class.getCanonicalName();
    static final String SEED = Seed.class.getCanonicalName();
    static final String ANALYSIS_LIMITS = dev.llmharness.api.AnalysisLimits.class.getCanonicalName();

    /** Annotations allowed on a benchmark class or method, as defaults or overrides. */
    static final List<String> CONFIGURATION = List.of(
            OPEN_LOOP,
            CLOSED_LOOP,
            RAMP,
            STAGES,
            STEP,
            SPIKE,
            SOAK,
            TRACE_REPLAY,
            WORKER_STAGES,
            TOKEN_SHAPE,
            DATASET,
            WARMUP,
            MEASUREMENT,
            ENDPOINT,
            SLO,
            SEED,
            ANALYSIS_LIMITS);

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
