package dev.llmharness.runtime.sim;

import java.util.EnumMap;
import java.util.Map;
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
}
