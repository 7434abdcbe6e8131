package dev.llmharness.runtime.observe;

import java.util.List;

/**
 * A concept every engine's {@code /metrics} expresses under its own name, and the names that carry
 * it, per engine. The first name of a concept found in a scrape wins (vLLM's newer {@code
 * kv_cache_usage_perc} before its older {@code gpu_cache_usage_perc}). Series named by no concept
 * are kept as they are.
 */
public enum ServerConcept {
    /** Requests being processed (in the running batch, or holding a slot). */
    RUNNING(
            "running",
            Kind.GAUGE_SUM,
            1,
            "vllm:num_requests_running",
            "sglang:num_running_reqs",
            "tgi_batch_current_size",
            "llamacpp:requests_processing"),
    /** Requests queued for the batch or a slot. */
    WAITING(
            "waiting",
            Kind.GAUGE_SUM,
            1,
            "vllm:num_requests_waiting",
            "sglang:num_queue_reqs",
            "tgi_queue_size",
            "llamacpp:requests_deferred"),
    /** KV cache in use, 0..1. */
    KV_CACHE_USAGE(
            "kvCacheUsage",
            Kind.GAUGE_MEAN,
            1,
            "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc",
            "sglang:token_usage",
            "llamacpp:kv_cache_usage_ratio"),
    /** Share of prompt tokens served from the prefix cache, 0..1 (a gauge where the engine has one). */
    PREFIX_CACHE_HIT_RATE(
            "prefixCacheHitRate", Kind.GAUGE_MEAN, 1, "vllm:gpu_prefix_cache_hit_rate", "sglang:cache_hit_rate"),
    /** vLLM V1's prefix-cache counters: hits over queries between two scrapes. */
    PREFIX_CACHE_HITS("prefixCacheHits", Kind.COUNTER_RATE, 1, "vllm:prefix_cache_hits_total"),
    /** See {@link #PREFIX_CACHE_HITS}. */
    PREFIX_CACHE_QUERIES("prefixCacheQueries", Kind.COUNTER_RATE, 1, "vllm:prefix_cache_queries_total"),
    /** Prompt (prefill) tokens per second. */
    PROMPT_TOKENS(
            "promptTokensPerSecond",
            Kind.COUNTER_RATE,
            1,
            "vllm:prompt_tokens_total",
            "sglang:prompt_tokens_total",
            "llamacpp:prompt_tokens_total",
            "tgi_request_input_length_sum"),
    /** Generated (decode) tokens per second. */
    GENERATION_TOKENS(
            "generationTokensPerSecond",
            Kind.COUNTER_RATE,
            1,
            "vllm:generation_tokens_total",
            "sglang:generation_tokens_total",
            "llamacpp:tokens_predicted_total",
            "tgi_request_generated_tokens_sum"),
    /** GPU utilisation 0..1 (NVIDIA DCGM exporter, whose value is a percentage). */
    GPU_UTILIZATION("gpuUtilization", Kind.GAUGE_MEAN, 0.01, "DCGM_FI_DEV_GPU_UTIL"),
    /** GPU memory in use, bytes, summed over GPUs (DCGM reports MiB). */
    GPU_MEMORY_USED("gpuMemoryUsedBytes", Kind.GAUGE_SUM, 1024.0 * 1024.0, "DCGM_FI_DEV_FB_USED");

    /** How samples of a concept's name become one value per scrape. */
    public enum Kind {
        /** Summed over label sets (requests, bytes). */
        GAUGE_SUM,
        /** Averaged over label sets (ratios). */
        GAUGE_MEAN,
        /** A cumulative counter, summed over label sets: per second between consecutive scrapes. */
        COUNTER_RATE
    }

    /** Server-side latency histograms, in seconds, per engine. */
    public enum Latency {
        /** Time to first token as the server measures it. */
        TTFT("vllm:time_to_first_token_seconds", "sglang:time_to_first_token_seconds"),
        /** Whole request as the server measures it. */
        E2E("vllm:e2e_request_latency_seconds", "sglang:e2e_request_latency_seconds", "tgi_request_duration");

        private final List<String> families;

        Latency(String... families) {
            this.families = List.of(families);
        }

        /** Histogram family names, without {@code _bucket}. */
        public List<String> families() {
            return families;
        }
    }

    private final String key;
    private final Kind kind;
    private final double scale;
    private final List<String> names;

    ServerConcept(String key, Kind kind, double scale, String... names) {
        this.key = key;
        this.kind = kind;
        this.scale = scale;
        this.names = List.of(names);
    }

    /** The concept's name in the result file. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Multiplies each sample into the concept's unit. */
    public double scale() {
        return scale;
    }

    /** Sample names carrying the concept, in order of preference. */
    public List<String> names() {
        return names;
    }

    /** The engine whose naming a sample name follows, or {@code null}. */
    public static String engineOf(String sampleName) {
        if (sampleName.startsWith("vllm:")) {
            return "vllm";
        }
        if (sampleName.startsWith("sglang:")) {
            return "sglang";
        }
        if (sampleName.startsWith("tgi_")) {
            return "tgi";
        }
        if (sampleName.startsWith("llamacpp:")) {
            return "llama.cpp";
        }
        if (sampleName.startsWith("DCGM_")) {
            return "dcgm";
        }
        return null;
    }
}
