package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests get the OpenAI error shape with a message that names the fix; never a hang. */
class SimBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimServer server;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        server = SimServer.start(SimConfig.preset("zero").toBuilder()
                .maxModelLen(64)
                .defaultMaxTokens(16)
                .maxRequestBytes(4096)
                .build());
        http = new SimHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String MSGS = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    static Stream<Arguments> badRequests() {
        String longPrompt = " word".repeat(100);
        return Stream.of(
                Arguments.of("chat", "{not json", 400, null, "invalid_json", "not valid JSON"),
                Arguments.of("chat", "[1,2]", 400, null, "invalid_json", "must be a JSON object"),
                Arguments.of("chat", "", 400, null, "invalid_json", "JSON object"),
                Arguments.of("chat", "{" + MSGS + "}", 400, "model", "missing_required_parameter", "sim-llm"),
                Arguments.of("chat", "{\"model\":7," + MSGS + "}", 400, "model", "invalid_type", "string"),
                Arguments.of("chat", "{\"model\":\"gpt-9\"," + MSGS + "}", 404, "model", "model_not_found", "sim-llm"),
                Arguments.of("chat", "{\"model\":\"sim-llm\"}", 400, "messages", "missing_required_parameter", "role"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\",\"messages\":[]}",
                        400,
                        "messages",
                        "invalid_value",
                        "non-empty"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\",\"messages\":\"Hi\"}",
                        400,
                        "messages",
                        "invalid_value",
                        "array"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\",\"messages\":[{\"content\":\"Hi\"}]}",
                        400,
                        "messages[0].role",
                        "missing_required_parameter",
                        "user"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                        400,
                        "messages[0].content",
                        "invalid_type",
                        "string"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\"}]}",
                        400,
                        "messages[0].content",
                        "missing_required_parameter",
                        "required"),
                Arguments.of(
                        "completions",
                        "{\"model\":\"sim-llm\"}",
                        400,
                        "prompt",
                        "missing_required_parameter",
                        "prompt"),
                Arguments.of(
                        "completions",
                        "{\"model\":\"sim-llm\",\"prompt\":3}",
                        400,
                        "prompt",
                        "invalid_value",
                        "string"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"max_tokens\":0}",
                        400,
                        "max_tokens",
                        "invalid_value",
                        "at least 1"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"max_tokens\":-5}",
                        400,
                        "max_tokens",
                        "invalid_value",
                        "at least 1"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"max_tokens\":1.5}",
                        400,
                        "max_tokens",
                        "invalid_type",
                        "whole number"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"max_completion_tokens\":100000}",
                        400,
                        "max_completion_tokens",
                        "context_length_exceeded",
                        "at most 63"),
                Arguments.of(
                        "completions",
                        "{\"model\":\"sim-llm\",\"prompt\":\"" + longPrompt + "\"}",
                        400,
                        "prompt",
                        "context_length_exceeded",
                        "maximum context length is 64"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"max_tokens\":5,\"min_tokens\":9}",
                        400,
                        "min_tokens",
                        "invalid_value",
                        "0 to 5"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"n\":2}",
                        400,
                        "n",
                        "invalid_value",
                        "one choice"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"stream\":\"yes\"}",
                        400,
                        "stream",
                        "invalid_type",
                        "true or false"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"stream_options\":{\"include_usage\":true}}",
                        400,
                        "stream_options",
                        "invalid_value",
                        "only allowed with"),
                Arguments.of(
                        "chat",
                        "{\"model\":\"sim-llm\"," + MSGS + ",\"ignore_eos\":1}",
                        400,
                        "ignore_eos",
                        "invalid_type",
                        "true or false"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {4}")
    @MethodSource("badRequests")
    void aBadRequestGetsAnOpenAiErrorNamingTheProblem(
            String endpoint, String body, int status, String param, String code, String fix) throws Exception {
        HttpResponse<String> r = http.post(endpoint.equals("chat") ? "/v1/chat/completions" : "/v1/completions", body);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        if (param == null) {
            assertThat(error.path("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
        assertThat(error.path("message").asText()).contains(fix).doesNotContain("Exception\n\tat");
        // the connection stays usable after an error
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownPathIs404JsonListingTheRoutes() throws Exception {
        HttpResponse<String> r = http.get("/v1/embeddings");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.path("message").asText()).contains("/v1/embeddings").contains("POST /v1/chat/completions");
    }

    @Test
    void aWrongMethodIs405() throws Exception {
        HttpResponse<String> r = http.get("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
                .contains("use POST");
    }

    @Test
    void aBodyAboveTheLimitIsRefusedWith413() throws Exception {
        String huge = "{\"model\":\"sim-llm\",\"prompt\":\"" + "x".repeat(10_000) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(huge))
                .build();
        try {
            HttpResponse<String> r = http.client().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
        } catch (java.io.IOException e) {
            // the server may close before the client has finished sending: refused either way
            assertThat(e).isNotNull();
        }
        assertThat(new SimHttp(server.baseUrl()).get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectedGenerationRequestsAppearInTheGroundTruth() throws Exception {
        server.groundTruth(true);
        http.post(
                "/v1/chat/completions",
                "{\"model\":\"nope\"," + MSGS + "}",
                java.util.Map.of("X-Llmh-Request-Id", "r-404"));
        GroundTruth truth = server.groundTruth(true).get(0);
        assertThat(truth.requestId()).isEqualTo("r-404");
        assertThat(truth.status()).isEqualTo(404);
        assertThat(truth.outcome()).isEqualTo("rejected");
    }
}
