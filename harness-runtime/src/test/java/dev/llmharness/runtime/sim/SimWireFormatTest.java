package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bytes a client reads, checked exactly for tiny requests with a fixed seed. */
class SimWireFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimServer server;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        server = SimServer.start(SimConfig.preset("zero").toBuilder()
                .seed(42)
                .createdEpochSeconds(1_700_000_000L)
                .build());
        http = new SimHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String chunk(String id, String object, String choices) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"" + object
                + "\",\"created\":1700000000,\"model\":\"sim-llm\"," + "\"choices\":" + choices + "}\n\n";
    }

    private static String chatDelta(String id, String content, String finish) {
        return chunk(
                id,
                "chat.completion.chunk",
                "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"logprobs\":null,\"finish_reason\":"
                        + finish + "}]");
    }

    private static String responseId(String body) {
        int start = body.indexOf("\"id\":\"") + 6;
        return body.substring(start, body.indexOf('"', start));
    }

    @Test
    void aStreamedChatCompletionHasARoleChunkOneChunkPerTokenAUsageChunkAndDone() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],"
                        + "\"max_tokens\":3,\"ignore_eos\":true,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true}}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
        String id = responseId(response.body());
        assertThat(id).matches("chatcmpl-[0-9a-f]{16}");
        String expected = chunk(
                        id,
                        "chat.completion.chunk",
                        "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                                + "\"finish_reason\":null}]")
                + chatDelta(id, " person", "null")
                + chatDelta(id, " create", "null")
                + chatDelta(id, " day", "\"length\"")
                + "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"sim-llm\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":5,\"completion_tokens\":3}}\n\n"
                + "data: [DONE]\n\n";
        assertThat(response.body()).isEqualTo(expected);
    }

    @Test
    void withoutIncludeUsageTheStreamHasNoUsageChunk() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],"
                        + "\"max_tokens\":2,\"ignore_eos\":true,\"stream\":true}");
        String id = responseId(response.body());
        assertThat(response.body()).doesNotContain("usage");
        assertThat(response.body()).endsWith(chatDelta(id, " create", "\"length\"") + "data: [DONE]\n\n");
    }

    @Test
    void aStreamedCompletionCarriesTextAndNoRoleChunk() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/completions",
                "{\"model\":\"sim-llm\",\"prompt\":\"Once upon a time\",\"max_tokens\":2,\"ignore_eos\":true,"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        String id = responseId(response.body());
        assertThat(id).matches("cmpl-[0-9a-f]{16}");
        String expected = chunk(
                        id,
                        "text_completion",
                        "[{\"index\":0,\"text\":\"" + WORD_1 + "\",\"logprobs\":null,\"finish_reason\":null}]")
                + chunk(
                        id,
                        "text_completion",
                        "[{\"index\":0,\"text\":\"" + WORD_2 + "\",\"logprobs\":null,\"finish_reason\":\"length\"}]")
                + chunk(id, "text_completion", "[]")
                        .replace(
                                "\"choices\":[]}",
                                "\"choices\":[],"
                                        + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":6,\"completion_tokens\":2}}")
                + "data: [DONE]\n\n";
        assertThat(response.body()).isEqualTo(expected);
    }

    private static final String WORD_1 = " different";
    private static final String WORD_2 = " life";

    @Test
    void aNonStreamedChatCompletionIsOneJsonObjectWithUsage() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],"
                        + "\"max_tokens\":3,\"ignore_eos\":true}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        String id = responseId(response.body());
        assertThat(response.body())
                .isEqualTo("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1700000000,"
                        + "\"model\":\"sim-llm\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\" person create day\"},\"logprobs\":null,\"finish_reason\":\"length\"}],"
                        + "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":5,\"completion_tokens\":3}}");
    }

    @Test
    void aNonStreamedCompletionHasTheTextInChoicesText() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/completions",
                "{\"model\":\"sim-llm\",\"prompt\":\"Once upon a time\",\"max_tokens\":2,\"ignore_eos\":true}");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("text_completion");
        assertThat(body.path("choices").get(0).path("text").asText()).isEqualTo(WORD_1 + WORD_2);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void maxCompletionTokensIsTheNewerNameOfMaxTokens() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                        + "\"max_completion_tokens\":7,\"ignore_eos\":true}");
        assertThat(JSON.readTree(response.body())
                        .path("usage")
                        .path("completion_tokens")
                        .asInt())
                .isEqualTo(7);
    }

    @Test
    void withoutIgnoreEosOutputStopsAtASeededLengthWithinTheLimitAndMinTokensIsRespected() throws Exception {
        int stops = 0;
        for (int i = 0; i < 40; i++) {
            String body = "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"question " + i
                    + "\"}],\"max_tokens\":50,\"min_tokens\":10}";
            JsonNode first =
                    JSON.readTree(http.post("/v1/chat/completions", body).body());
            JsonNode again =
                    JSON.readTree(http.post("/v1/chat/completions", body).body());
            int tokens = first.path("usage").path("completion_tokens").asInt();
            assertThat(tokens).isBetween(10, 50);
            String reason = first.path("choices").get(0).path("finish_reason").asText();
            assertThat(reason).isEqualTo(tokens == 50 ? "length" : "stop");
            if (reason.equals("stop")) {
                stops++;
            }
            // the same request gives the same text: the outcome is seeded
            assertThat(again.path("choices")).isEqualTo(first.path("choices"));
        }
        assertThat(stops).isGreaterThan(30);
    }

    @Test
    void everyTokenChunkHoldsOneWordAndTheTextReadsAsWords() throws Exception {
        HttpResponse<String> response = http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],"
                        + "\"max_tokens\":64,\"ignore_eos\":true,\"stream\":true}");
        int contentChunks = 0;
        for (String event : response.body().split("\n\n")) {
            String data = event.substring("data: ".length());
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonNode delta = JSON.readTree(data).path("choices").get(0).path("delta");
            if (delta.has("content") && !delta.path("content").asText().isEmpty()) {
                assertThat(delta.path("content").asText()).matches(" [a-z]+|[,.]");
                contentChunks++;
            }
        }
        assertThat(contentChunks).isEqualTo(64);
    }

    @Test
    void modelsHealthAndMetricsAnswer() throws Exception {
        JsonNode models = JSON.readTree(http.get("/v1/models").body());
        assertThat(models.path("data").get(0).path("id").asText()).isEqualTo("sim-llm");
        assertThat(models.path("data").get(0).path("object").asText()).isEqualTo("model");
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
        http.post(
                "/v1/chat/completions",
                "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4,"
                        + "\"ignore_eos\":true}");
        HttpResponse<String> metrics = http.get("/metrics");
        assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("# TYPE vllm:num_requests_running gauge")
                .contains("vllm:num_requests_running{model_name=\"sim-llm\"} ")
                .contains("vllm:num_requests_waiting{model_name=\"sim-llm\"} ")
                .contains("vllm:kv_cache_usage_perc{model_name=\"sim-llm\"} ")
                .contains("vllm:gpu_cache_usage_perc{model_name=\"sim-llm\"} ")
                .containsPattern("vllm:prompt_tokens_total\\{model_name=\"sim-llm\"} [1-9][0-9]*\\.0")
                .containsPattern("vllm:generation_tokens_total\\{model_name=\"sim-llm\"} [1-9][0-9]*\\.0")
                .containsPattern(
                        "vllm:request_success_total\\{model_name=\"sim-llm\",finished_reason=\"length\"} [1-9]");
    }
}
