package dev.llmharness.runtime.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges served at {@code GET /metrics} in the Prometheus text format, named as vLLM
 * names them so that tools that scrape vLLM also read the simulator.
 */
final class SimMetrics {
    final LongAdder promptTokens = new LongAdder();
    final LongAdder generationTokens = new LongAdder();
    final LongAdder successStop = new LongAdder();
    final LongAdder successLength = new LongAdder();
    final LongAdder rejected = new LongAdder();
    private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
    /** Server-side TTFT, from receiving the request to flushing its first token, with vLLM's buckets. */
    final SecondsHistogram ttft = new SecondsHistogram(
            0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
            80.0, 160.0, 640.0, 2560.0);
    /** Server-side request latency, from receiving the request to its end, with vLLM's buckets. */
    final SecondsHistogram e2e = new SecondsHistogram(
            0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
            960.0, 1920.0, 7680.0);

    SimMetrics() {
        for (FaultKind kind : FaultKind.values()) {
            faults.put(kind, new LongAdder());
        }
    }

    void fault(FaultKind kind) {
        faults.get(kind).increment();
    }

    void success(String finishReason) {
        ("stop".equals(finishReason) ? successStop : successLength).increment();
    }

    /** A request that completed: its server-side TTFT and latency. */
    void latency(long receivedNanos, long firstTokenNanos, long endNanos) {
        ttft.observe((firstTokenNanos - receivedNanos) / 1e9);
        e2e.observe((endNanos - receivedNanos) / 1e9);
    }

    String render(String model, Engine engine) {
        String label = "{model_name=\"" + model.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        StringBuilder out = new StringBuilder(2048);
        gauge(
                out,
                "vllm:num_requests_running",
                "Number of requests in model execution batches.",
                label,
                engine.runningGauge);
        gauge(
                out,
                "vllm:num_requests_waiting",
                "Number of requests waiting to be processed.",
                label,
                engine.waitingGauge);
        double kv = engine.kvUsageGauge;
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", label, kv);
        gauge(out, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage (older name). 1 means 100 percent.", label, kv);
        counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", label, promptTokens.sum());
        counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", label, generationTokens.sum());
        out.append("# HELP vllm:request_success_total Count of successfully processed requests.\n")
                .append("# TYPE vllm:request_success_total counter\n");
        String prefix = label.substring(0, label.length() - 1);
        out.append("vllm:request_success_total")
                .append(prefix)
                .append(",finished_reason=\"stop\"} ")
                .append((double) successStop.sum())
                .append('\n');
        out.append("vllm:request_success_total")
                .append(prefix)
                .append(",finished_reason=\"length\"} ")
                .append((double) successLength.sum())
                .append('\n');
        ttft.render(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", prefix);
        e2e.render(
                out, "vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", prefix);
        counter(out, "llmh_sim_requests_rejected", "Requests answered with an error status.", label, rejected.sum());
        out.append("# HELP llmh_sim_faults_total Faults injected, by kind.\n")
                .append("# TYPE llmh_sim_faults_total counter\n");
        for (Map.Entry<FaultKind, LongAdder> e : faults.entrySet()) {
            out.append("llmh_sim_faults_total")
                    .append(prefix)
                    .append(",kind=\"")
                    .append(e.getKey().wireName())
                    .append("\"} ")
                    .append((double) e.getValue().sum())
                    .append('\n');
        }
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String label, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(label).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, String label, long value) {
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n');
        out.append("# TYPE ").append(name).append("_total counter\n");
        out.append(name)
                .append("_total")
                .append(label)
                .append(' ')
                .append((double) value)
                .append('\n');
    }

    /** A Prometheus histogram with fixed bounds, safe to observe from any thread. */
    static final class SecondsHistogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        SecondsHistogram(double... bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < bounds.length; i++) {
                if (seconds <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }

        /** Cumulative buckets, {@code _sum} and {@code _count}; {@code labels} is the label set without its closing brace. */
        void render(StringBuilder out, String name, String help, String labels) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name)
                        .append("_bucket")
                        .append(labels)
                        .append(",le=\"")
                        .append(bounds[i])
                        .append("\"} ")
                        .append((double) cumulative)
                        .append('\n');
            }
            long total = count.sum();
            out.append(name)
                    .append("_bucket")
                    .append(labels)
                    .append(",le=\"+Inf\"} ")
                    .append((double) total)
                    .append('\n');
            out.append(name)
                    .append("_sum")
                    .append(labels)
                    .append("} ")
                    .append(sum.sum())
                    .append('\n');
            out.append(name)
                    .append("_count")
                    .append(labels)
                    .append("} ")
                    .append((double) total)
                    .append('\n');
        }
    }
}
