package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A few latency-model properties through real sockets and real time. Bounds are generous: the
 * machine is shared and noisy; the exact equations are checked on a virtual clock in {@link
 * BatchSchedulerTest}.
 */
class SimLatencyEndToEndTest {
    private static String chat(String content, int maxTokens) {
        return "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],"
                + "\"max_tokens\":" + maxTokens + ",\"ignore_eos\":true,\"stream\":true}";
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void anIdleServerAnswersAfterAboutOneStepOfPrefillAndDecodesAtTheStepTime() throws Exception {
        SimConfig config = SimConfig.builder()
                .stepBase(Duration.ofMillis(10))
                .prefillPerToken(Duration.ofNanos(100_000))
                .decodePerSequence(Duration.ofMillis(2))
                .decodePerKvToken(Duration.ZERO)
                .build();
        try (SimServer server = SimServer.start(config)) {
            SimHttp http = new SimHttp(server.baseUrl());
            String prompt = " word".repeat(200); // 200 tokens: idle TTFT = 10 ms + 20 ms = 30 ms
            http.post("/v1/chat/completions", chat(prompt, 2));
            server.groundTruth(true);
            List<Long> ttfts = new ArrayList<>();
            List<Long> itls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                http.post("/v1/chat/completions", chat(prompt, 6));
                GroundTruth truth = server.groundTruth(true).get(0);
                assertThat(truth.promptTokens()).isEqualTo(200);
                ttfts.add(truth.ttftNanos());
                for (int k = 1; k < truth.tokenNanos().size(); k++) {
                    itls.add(truth.tokenNanos().get(k) - truth.tokenNanos().get(k - 1));
                }
            }
            assertThat(median(ttfts)).isBetween(29_000_000L, 80_000_000L);
            assertThat(median(itls)).isBetween(11_000_000L, 25_000_000L); // 10 ms + 2 ms x 1
        }
    }

    @Test
    void fixedItlKeepsItsPaceAndItlScaleSlowsIt() throws Exception {
        for (double scale : new double[] {1.0, 1.5}) {
            try (SimServer server = SimServer.start(
                    SimConfig.preset("fixed-itl").toBuilder().itlScale(scale).build())) {
                SimHttp http = new SimHttp(server.baseUrl());
                http.post("/v1/chat/completions", chat("Hi", 3));
                server.groundTruth(true);
                http.post("/v1/chat/completions", chat("Hi", 20));
                List<Long> times = server.groundTruth(true).get(0).tokenNanos();
                long span = times.get(times.size() - 1) - times.get(0);
                // absolute deadlines: 19 gaps of 20 ms x scale; a late first token only shortens the span
                assertThat(span)
                        .isBetween((long) (19 * 20e6 * scale) - 20_000_000, (long) (19 * 20e6 * scale) + 60_000_000);
            }
        }
    }

    @Test
    void aFullBatchQueuesNewRequestsSoTheirTtftGrows() throws Exception {
        // 2 slots, 20 ms steps: 6 requests of 10 tokens arrive at once; 3 waves of ~200 ms
        SimConfig config = SimConfig.builder()
                .stepBase(Duration.ofMillis(20))
                .prefillPerToken(Duration.ZERO)
                .decodePerSequence(Duration.ZERO)
                .decodePerKvToken(Duration.ZERO)
                .maxNumSeqs(2)
                .build();
        try (SimServer server = SimServer.start(config)) {
            SimHttp http = new SimHttp(server.baseUrl());
            http.post("/v1/chat/completions", chat("warm", 2));
            server.groundTruth(true);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(http.client()
                        .sendAsync(
                                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                                        .POST(HttpRequest.BodyPublishers.ofString(chat("q" + i, 10)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
            List<Long> ttfts = server.groundTruth(true).stream()
                    .map(GroundTruth::ttftNanos)
                    .sorted()
                    .toList();
            assertThat(ttfts).hasSize(6);
            assertThat(ttfts.get(0)).isLessThan(100_000_000L);
            assertThat(ttfts.get(5)).isGreaterThan(350_000_000L); // waited for two waves of ten steps
        }
    }
}
