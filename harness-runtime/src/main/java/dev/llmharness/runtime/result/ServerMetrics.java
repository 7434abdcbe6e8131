package dev.llmharness.runtime.result;

import java.util.List;
import java.util.Map;

/**
 * The server's own metrics, scraped from its {@code /metrics} (and any other Prometheus endpoint
 * given, such as a DCGM exporter's) during one trial.
 *
 * @param sources the URLs scraped
 * @param engines the engines whose names were recognised ({@code vllm}, {@code tgi}, {@code
 *     llama.cpp}, {@code sglang}, {@code dcgm}), empty when none
 * @param intervalSeconds time between scrapes
 * @param scrapes scrapes that succeeded
 * @param failedScrapes scrapes that failed (each a warning, never a failed run)
 * @param t seconds of each successful scrape since the measurement window started (negative
 *     during the warmup)
 * @param series the common concepts ({@code running}, {@code waiting}, {@code kvCacheUsage},
 *     {@code prefixCacheHitRate}, {@code promptTokensPerSecond}, {@code generationTokensPerSecond},
 *     {@code gpuUtilization}, {@code gpuMemoryUsedBytes}), one value per entry of {@code t}; {@code
 *     null} where a scrape lacked it (and the first value of a rate)
 * @param other every series no concept names, as {@code name{labels}}, one value per entry of
 *     {@code t}; histogram buckets are left out (their {@code _sum} and {@code _count} are kept)
 * @param ttft the server's time-to-first-token histogram over the measurement window, or {@code
 *     null} when the engine exposes none
 * @param e2e the server's request-latency histogram over the measurement window, or {@code null}
 * @param ttftClientMinusServer client TTFT minus server TTFT at p50, p90 and p99 (ms): time a
 *     request spends before the server's clock starts (its HTTP queue, the network, the client), or
 *     {@code null} without a server TTFT
 */
public record ServerMetrics(
        List<String> sources,
        List<String> engines,
        double intervalSeconds,
        int scrapes,
        int failedScrapes,
        List<Double> t,
        Map<String, List<Double>> series,
        Map<String, List<Double>> other,
        ServerLatency ttft,
        ServerLatency e2e,
        ServerLatency ttftClientMinusServer) {

    /**
     * A latency the server measured, from its histogram's buckets over the window (interpolated
     * within a bucket, as Prometheus' {@code histogram_quantile} does), in milliseconds.
     *
     * @param count requests the histogram counted in the window ({@code null} for a difference)
     * @param mean mean from the histogram's sum and count
     * @param p50 median
     * @param p90 90th percentile
     * @param p99 99th percentile
     */
    public record ServerLatency(Long count, Double mean, Double p50, Double p90, Double p99) {}
}
