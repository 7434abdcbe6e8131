package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server's own record of each request, in process and over HTTP, matches what a client saw. */
class SimGroundTruthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String chat(int maxTokens) {
        return "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":"
                + maxTokens + ",\"ignore_eos\":true,\"stream\":true}";
    }

    @Test
    void groundTruthTimestampsPrecedeAndTrackWhatTheClientReads() throws Exception {
        try (SimServer server = SimServer.start(SimConfig.preset("fixed-itl"))) {
            SimHttp http = new SimHttp(server.baseUrl());
            http.post("/v1/chat/completions", chat(2)); // warm up the server's code paths
            server.groundTruth(true);
            for (int i = 0; i < 3; i++) {
                String id = "req-" + i;
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                        .header("X-Llmh-Request-Id", id)
                        .POST(HttpRequest.BodyPublishers.ofString(chat(8)))
                        .build();
                long sent = System.nanoTime();
                HttpResponse<Stream<String>> response =
                        http.client().send(request, HttpResponse.BodyHandlers.ofLines());
                List<Long> clientTokens = new ArrayList<>();
                try (Stream<String> lines = response.body()) {
                    lines.forEach(l -> {
                        if (l.startsWith("data: {") && l.contains("\"content\":\" ")
                                || l.contains("\"content\":\",\"")
                                || l.contains("\"content\":\".\"")) {
                            clientTokens.add(System.nanoTime());
                        }
                    });
                }
                GroundTruth truth = server.groundTruth(false).stream()
                        .filter(g -> id.equals(g.requestId()))
                        .findFirst()
                        .orElseThrow();
                assertThat(truth.outcome()).isEqualTo("completed");
                assertThat(truth.outputTokens()).isEqualTo(8).isEqualTo(clientTokens.size());
                assertThat(truth.tokenNanos()).hasSize(8).isSorted();
                assertThat(truth.firstTokenNanos()).isEqualTo(truth.tokenNanos().get(0));
                assertThat(truth.receivedNanos()).isGreaterThan(sent);
                assertThat(truth.endNanos())
                        .isGreaterThanOrEqualTo(truth.tokenNanos().get(7));
                // fixed-itl: the first token 20 ms after receipt (generous bounds on a shared machine)
                assertThat(truth.ttftNanos()).isBetween(19_000_000L, 500_000_000L);
                for (int k = 0; k < 8; k++) {
                    long lag = clientTokens.get(k) - truth.tokenNanos().get(k);
                    assertThat(lag)
                            .as("client read token %d after the server wrote it", k)
                            .isBetween(0L, 500_000_000L);
                }
            }
        }
    }

    @Test
    void theAdminEndpointServesTheSameRecordsAndClearDrainsThem() throws Exception {
        try (SimServer server = SimServer.start(SimConfig.preset("zero"))) {
            SimHttp http = new SimHttp(server.baseUrl());
            for (int i = 0; i < 3; i++) {
                http.post("/v1/chat/completions", chat(4), Map.of("X-Llmh-Request-Id", "a" + i));
            }
            JsonNode records = JSON.readTree(http.get("/admin/ground-truth").body());
            assertThat(records.isArray()).isTrue();
            assertThat(records).hasSize(3);
            List<GroundTruth> inProcess = server.groundTruth(false);
            for (int i = 0; i < 3; i++) {
                JsonNode r = records.get(i);
                GroundTruth g = inProcess.get(i);
                assertThat(r.path("requestId").asText()).isEqualTo("a" + i).isEqualTo(g.requestId());
                assertThat(r.path("receivedNanos").asLong()).isEqualTo(g.receivedNanos());
                assertThat(r.path("tokenNanos")).hasSize(4);
                assertThat(r.path("outputTokens").asInt()).isEqualTo(4);
                assertThat(r.path("stream").asBoolean()).isTrue();
                assertThat(r.path("status").asInt()).isEqualTo(200);
            }
            assertThat(JSON.readTree(http.get("/admin/ground-truth?clear=true").body()))
                    .hasSize(3);
            assertThat(JSON.readTree(http.get("/admin/ground-truth").body())).isEmpty();
            assertThat(server.groundTruth(false)).isEmpty();
        }
    }

    @Test
    void theLogKeepsTheNewestRecordsWithinItsCapacity() throws Exception {
        try (SimServer server = SimServer.start(
                SimConfig.preset("zero").toBuilder().groundTruthCapacity(3).build())) {
            SimHttp http = new SimHttp(server.baseUrl());
            for (int i = 0; i < 5; i++) {
                http.post("/v1/chat/completions", chat(2), Map.of("X-Llmh-Request-Id", "n" + i));
            }
            assertThat(server.groundTruth(false))
                    .extracting(GroundTruth::requestId)
                    .containsExactly("n2", "n3", "n4");
            assertThat(server.groundTruthDropped()).isEqualTo(2);
            assertThat(http.get("/admin/ground-truth").headers().firstValue("X-Llmh-Ground-Truth-Dropped"))
                    .hasValue("2");
        }
    }

    @Test
    void aClientThatLeavesEarlyIsRecordedAsClientClosed() throws Exception {
        try (SimServer server = SimServer.start(SimConfig.preset("fixed-itl"))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                    .header("X-Llmh-Request-Id", "leaver")
                    .POST(HttpRequest.BodyPublishers.ofString(chat(500)))
                    .build();
            SimHttp http = new SimHttp(server.baseUrl());
            HttpResponse<java.io.InputStream> response =
                    http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().readNBytes(600); // the role chunk and a few tokens
            response.body().close();
            GroundTruth truth = null;
            for (int i = 0; i < 100 && truth == null; i++) {
                truth = server.groundTruth(false).stream()
                        .filter(g -> "leaver".equals(g.requestId()))
                        .findFirst()
                        .orElse(null);
                Thread.sleep(50);
            }
            assertThat(truth).isNotNull();
            assertThat(truth.outcome()).isEqualTo("client_closed");
            assertThat(truth.outputTokens()).isLessThan(500);
        }
    }
}
