package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault kind, as a plain HTTP client sees it. */
class SimFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "/v1/chat/completions";
    private static SimServer server;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        server = SimServer.start(SimConfig.preset("zero"));
        http = new SimHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(int maxTokens, boolean stream) {
        return "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":"
                + maxTokens + ",\"ignore_eos\":true,\"stream\":" + stream + "}";
    }

    /** The data lines of a stream with the client's arrival time of each, read as they come. */
    record Line(String data, long nanos) {}

    private static List<Line> streamLines(String fault, int maxTokens) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + CHAT))
                .header("X-Llmh-Fault", fault)
                .POST(HttpRequest.BodyPublishers.ofString(body(maxTokens, true)))
                .build();
        HttpResponse<Stream<String>> response = http.client().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Line> lines = new ArrayList<>();
        try (Stream<String> s = response.body()) {
            s.forEach(l -> {
                if (l.startsWith("data: ")) {
                    lines.add(new Line(l.substring(6), System.nanoTime()));
                }
            });
        }
        return lines;
    }

    private static boolean isContent(String data) {
        try {
            JsonNode delta = JSON.readTree(data).path("choices").path(0).path("delta");
            return !delta.path("content").asText("").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static GroundTruth lastTruth() {
        List<GroundTruth> all = server.groundTruth(false);
        return all.get(all.size() - 1);
    }

    @Test
    void http500And503AnswerWithAnOpenAiErrorBody() throws Exception {
        for (int status : new int[] {500, 503}) {
            HttpResponse<String> r = http.post(CHAT, body(4, true), Map.of("X-Llmh-Fault", "http_" + status));
            assertThat(r.statusCode()).isEqualTo(status);
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("message").asText()).contains("http_" + status);
            assertThat(lastTruth().status()).isEqualTo(status);
            assertThat(lastTruth().fault()).isEqualTo("http_" + status);
        }
    }

    @Test
    void http429CarriesRetryAfter() throws Exception {
        HttpResponse<String> r = http.post(CHAT, body(4, false), Map.of("X-Llmh-Fault", "http_429;retry_after=7"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("7");
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void resetBreaksTheConnectionAfterTheGivenTokens() {
        assertThatThrownBy(() -> http.post(CHAT, body(10, true), Map.of("X-Llmh-Fault", "reset;after=3")))
                .isInstanceOf(IOException.class);
        GroundTruth truth = lastTruth();
        assertThat(truth.outcome()).isEqualTo("reset");
        assertThat(truth.outputTokens()).isEqualTo(3);
        assertThatThrownBy(() -> http.post(CHAT, body(10, false), Map.of("X-Llmh-Fault", "reset")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void truncateEndsTheBodyWithoutUsageOrDone() throws Exception {
        HttpResponse<String> r = http.post(
                CHAT,
                body(10, true).replace("}", ",\"stream_options\":{\"include_usage\":true}}"),
                Map.of("X-Llmh-Fault", "truncate;after=4"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("[DONE]").doesNotContain("usage");
        assertThat(r.body().split("\n\n")).hasSize(1 + 4); // role chunk + 4 tokens
        assertThat(lastTruth().outcome()).isEqualTo("truncated");
        // fewer tokens than 'after': the fault strikes after the last token, before [DONE]
        HttpResponse<String> shortOne = http.post(CHAT, body(3, true), Map.of("X-Llmh-Fault", "truncate;after=50"));
        assertThat(shortOne.body()).doesNotContain("[DONE]").contains("\"finish_reason\":\"length\"");
        assertThat(lastTruth().outputTokens()).isEqualTo(3);
        assertThatThrownBy(() -> http.post(CHAT, body(10, false), Map.of("X-Llmh-Fault", "truncate")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void malformedInsertsOneEventThatIsNotJsonAndTheStreamGoesOn() throws Exception {
        List<Line> lines = streamLines("malformed;after=2", 5);
        List<String> broken = new ArrayList<>();
        for (Line l : lines) {
            if (!l.data().equals("[DONE]")) {
                try {
                    JSON.readTree(l.data());
                } catch (IOException e) {
                    broken.add(l.data());
                }
            }
        }
        assertThat(broken).hasSize(1);
        assertThat(lines.stream().filter(l -> isContent(l.data())).count()).isEqualTo(5);
        assertThat(lines.get(3).data()).isEqualTo(broken.get(0)); // role, token 1, token 2, then it
        assertThat(lines.get(lines.size() - 1).data()).isEqualTo("[DONE]");
        HttpResponse<String> r = http.post(CHAT, body(3, false), Map.of("X-Llmh-Fault", "malformed"));
        assertThatThrownBy(() -> JSON.readTree(r.body())).isInstanceOf(IOException.class);
    }

    @Test
    void stallPausesMidStreamAndGroundTruthShowsTheGap() throws Exception {
        List<Line> lines = streamLines("stall;after=2;ms=300", 5);
        List<Line> content = lines.stream().filter(l -> isContent(l.data())).toList();
        assertThat(content).hasSize(5);
        List<Long> serverTimes = lastTruth().tokenNanos();
        assertThat(serverTimes.get(2) - serverTimes.get(1)).isGreaterThanOrEqualTo(300_000_000L);
        // What the client sees, measured against the server's write of the token before the stall
        // (same JVM, same clock): a late read of that token cannot shrink the observed stall.
        assertThat(content.get(2).nanos() - serverTimes.get(1)).isGreaterThanOrEqualTo(300_000_000L);
        assertThat(lastTruth().fault()).isEqualTo("stall;after=2;ms=300");
    }

    @Test
    void stallWithAfterZeroDelaysTheFirstToken() throws Exception {
        streamLines("stall;after=0;ms=250", 3);
        assertThat(lastTruth().ttftNanos()).isGreaterThanOrEqualTo(250_000_000L);
        long started = System.nanoTime();
        HttpResponse<String> r = http.post(CHAT, body(3, false), Map.of("X-Llmh-Fault", "stall;ms=250"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(250_000_000L);
    }

    @Test
    void slowHeadersDelaysTheResponseHeaders() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + CHAT))
                .header("X-Llmh-Fault", "slow_headers;ms=300")
                .POST(HttpRequest.BodyPublishers.ofString(body(3, true)))
                .build();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> r = http.client().send(request, HttpResponse.BodyHandlers.ofLines());
        long headers = System.nanoTime() - started;
        try (Stream<String> s = r.body()) {
            assertThat(s.filter(l -> l.equals("data: [DONE]")).count()).isEqualTo(1);
        }
        assertThat(headers).isGreaterThanOrEqualTo(290_000_000L);
    }

    @Test
    void aBadFaultHeaderIsRejectedWithTheSyntax() throws Exception {
        HttpResponse<String> r = http.post(CHAT, body(3, false), Map.of("X-Llmh-Fault", "explode"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
                .contains("unknown fault kind 'explode'")
                .contains("http_503")
                .contains("after=N");
    }

    @Test
    void runLevelRatesInjectFaultsAndTheNoneHeaderOptsOut() throws Exception {
        try (SimServer faulty = SimServer.start(SimConfig.preset("zero").toBuilder()
                .faultRate(FaultKind.HTTP_503, 0.5)
                .build())) {
            SimHttp client = new SimHttp(faulty.baseUrl());
            int failed = 0;
            for (int i = 0; i < 100; i++) {
                if (client.post(CHAT, body(2, false)).statusCode() == 503) {
                    failed++;
                }
            }
            assertThat(failed).isBetween(30, 70);
            for (int i = 0; i < 20; i++) {
                assertThat(client.post(CHAT, body(2, false), Map.of("X-Llmh-Fault", "none"))
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }
}
