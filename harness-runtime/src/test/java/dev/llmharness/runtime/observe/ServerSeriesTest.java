package dev.llmharness.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.ServerMetrics;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServerSeriesTest {
    @Test
    void quantilesInterpolateWithinBucketsAsPrometheusDoes() {
        TreeMap<Double, Double> h = new TreeMap<>();
        h.put(0.1, 100.0);
        h.put(0.5, 300.0);
        h.put(Double.POSITIVE_INFINITY, 400.0);
        // rank 200 of 400: halfway through the (0.1, 0.5] bucket
        assertThat(ServerSeries.quantile(h, 0.5)).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ServerSeries.quantile(h, 0.125)).isEqualTo(0.05);
        // in the +Inf bucket: the highest finite bound
        assertThat(ServerSeries.quantile(h, 0.99)).isEqualTo(0.5);
    }

    /** A scraper fed by hand: two vLLM scrapes one second apart, the window between them. */
    @Test
    void mapsVllmNamesOntoConceptsRatesAndTheWindowsHistogram() throws Exception {
        String first = PromTextTest.resource("vllm-metrics.prom");
        String second = first.replace("} 102400.0", "} 104448.0")
                .replace(
                        "vllm:prefix_cache_queries_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 20000.0",
                        "vllm:prefix_cache_queries_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 21000.0")
                .replace(
                        "vllm:prefix_cache_hits_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 5000.0",
                        "vllm:prefix_cache_hits_total{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 5250.0")
                .replace(
                        "le=\"0.1\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 100.0",
                        "le=\"0.1\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 110.0")
                .replace(
                        "le=\"0.5\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 300.0",
                        "le=\"0.5\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 320.0")
                .replace(
                        "le=\"+Inf\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 400.0",
                        "le=\"+Inf\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 420.0")
                .replace(
                        "_sum{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 120.0",
                        "_sum{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 124.0")
                .replace(
                        "vllm:num_requests_waiting{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 3.0",
                        "vllm:num_requests_waiting{engine=\"0\",model_name=\"meta-llama/Llama-3.1-8B-Instruct\"} 7.0");
        MetricsScraper scraper = new MetricsScraper(
                List.of(URI.create("http://127.0.0.1:1/metrics")),
                Duration.ofSeconds(1),
                new PrintStream(new java.io.ByteArrayOutputStream()));
        long t0 = 1_000_000_000_000L;
        List<MetricsScraper.Scrape> scrapes = List.of(
                new MetricsScraper.Scrape(t0, PromText.parse(first).samples()),
                new MetricsScraper.Scrape(
                        t0 + 1_000_000_000L, PromText.parse(second).samples()));
        List<String> warnings = new ArrayList<>();
        ServerMetrics m = ServerSeries.build(scrapes, scraper, t0, t0 + 1_000_000_000L, null, warnings);
        assertThat(m.engines()).containsExactly("vllm");
        assertThat(m.t()).containsExactly(0.0, 1.0);
        assertThat(m.series().get("running")).containsExactly(12.0, 12.0);
        assertThat(m.series().get("waiting")).containsExactly(3.0, 7.0);
        assertThat(m.series().get("kvCacheUsage")).containsExactly(0.4375, 0.4375);
        assertThat(m.series().get("promptTokensPerSecond")).containsExactly(null, 2048.0);
        assertThat(m.series().get("prefixCacheHitRate")).containsExactly(null, 0.25);
        assertThat(m.ttft().count()).isEqualTo(20);
        assertThat(m.ttft().mean()).isEqualTo(200.0); // 4 s over 20 requests
        // 10 of 20 in (0.001, 0.1], 10 in (0.1, 0.5]: the median is the first bucket's bound
        assertThat(m.ttft().p50()).isEqualTo(100.0);
        assertThat(m.other())
                .containsKey("vllm:cache_config_info{block_size=\"16\",cache_dtype=\"auto\","
                        + "enable_prefix_caching=\"True\",gpu_memory_utilization=\"0.9\",num_gpu_blocks=\"27000\"}");
        assertThat(m.other().keySet()).noneMatch(k -> k.contains("_bucket"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void llamaCppsNamesMapToo() throws Exception {
        MetricsScraper scraper = new MetricsScraper(
                List.of(URI.create("http://127.0.0.1:1/metrics")),
                Duration.ofSeconds(1),
                new PrintStream(new java.io.ByteArrayOutputStream()));
        List<MetricsScraper.Scrape> scrapes = List.of(new MetricsScraper.Scrape(
                5,
                PromText.parse(PromTextTest.resource("llamacpp-metrics.prom")).samples()));
        ServerMetrics m = ServerSeries.build(scrapes, scraper, 5, 5, null, new ArrayList<>());
        assertThat(m.engines()).containsExactly("llama.cpp");
        assertThat(m.series().get("running")).containsExactly(0.0);
        assertThat(m.series().get("kvCacheUsage")).containsExactly(0.00112915);
        assertThat(m.ttft()).isNull();
        assertThat(m.other()).containsKey("llamacpp:n_decode_total");
    }
}
