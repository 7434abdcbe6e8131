package dev.llmharness.runtime.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each engine's {@code POST /tokenize} answer is read as the engine writes it (llama.cpp from a real
 * server's capture, byte for byte), discovery tells the three apart by the answer's shape, and
 * each implementation counts what the simulator's tokenizer counts.
 */
class ServerTokenizersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient HTTP = new OkHttpClient();

    private static SimServer sim;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.preset("zero").toBuilder()
                .tokenizer("sim-words")
                .chatTemplateTokens(5)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** A capture of a real llama.cpp server ({@code wire/llama.cpp/}), as the server wrote it. */
    private static byte[] capture(String name) throws IOException {
        try (java.io.InputStream in = ServerTokenizersTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheCapturedLlamaCppAnswersByteForByte() throws IOException {
        assertThat(ServerTokenizers.llamaCppCount(JSON.readTree(capture("tokenize.json"))))
                .isEqualTo(8);
        // with_pieces: one {"id", "piece"} object per token, BOS included when asked for.
        assertThat(ServerTokenizers.llamaCppCount(JSON.readTree(capture("tokenize_with_pieces.json"))))
                .isEqualTo(9);
    }

    @Test
    void readsVllmAndTgiAnswersAndRefusesTheOthersShapes() throws IOException {
        String vllm = "{\"count\":3,\"max_model_len\":4096,\"tokens\":[9906,1917,13],\"token_strs\":null}";
        String tgi = "[{\"id\":9906,\"text\":\"Hello\",\"start\":0,\"stop\":5},"
                + "{\"id\":1917,\"text\":\" world\",\"start\":5,\"stop\":11}]";
        assertThat(ServerTokenizers.vllmCount(JSON.readTree(vllm))).isEqualTo(3);
        assertThat(ServerTokenizers.tgiCount(JSON.readTree(tgi))).isEqualTo(2);
        assertThatThrownBy(() -> ServerTokenizers.llamaCppCount(JSON.readTree(vllm)))
                .isInstanceOf(ServerTokenizers.ShapeException.class);
        assertThatThrownBy(() -> ServerTokenizers.vllmCount(JSON.readTree(capture("tokenize.json"))))
                .isInstanceOf(ServerTokenizers.ShapeException.class);
        assertThatThrownBy(() -> ServerTokenizers.tgiCount(JSON.readTree(vllm)))
                .isInstanceOf(ServerTokenizers.ShapeException.class);
    }

    @Test
    void everyEngineBodyCountsWhatTheSimulatorsTokenizerCounts() throws IOException {
        // sim-words: " the" one token, " quick" two (" quic", "k"), "." one: 1 + 2 + 2 + 1 = 6.
        String text = "The quick brown fox.";
        int expected = 1 /* The */ + 2 /* quick */ + 2 /* brown */ + 1 /* fox */ + 1 /* . */;
        String base = sim.baseUrl();
        assertThat(ServerTokenizers.llamaCpp(HTTP, base, null).count(text)).isEqualTo(expected);
        assertThat(ServerTokenizers.tgi(HTTP, base, null).count(text)).isEqualTo(expected);
        ServerTokenizer vllm = ServerTokenizers.vllm(HTTP, base, sim.config().model(), null);
        assertThat(vllm.count(text)).isEqualTo(expected);
        assertThat(vllm.countsChat()).isTrue();
        assertThat(vllm.countChat(text)).as("one message: 5 template tokens").isEqualTo(expected + 5);
        assertThatThrownBy(() -> ServerTokenizers.llamaCpp(HTTP, base, null).countChat(text))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void discoveryFindsTheFirstApiWhoseAnswerHasItsShape() throws IOException {
        ServerTokenizer found =
                ServerTokenizers.discover(HTTP, sim.baseUrl(), sim.config().model(), null);
        assertThat(found).isNotNull();
        assertThat(found.endpoint()).isEqualTo("llama.cpp POST /tokenize");
    }

    @Test
    void aServerWithoutTokenizeHasNoTokenizer() throws IOException {
        try (MockWebServer none = new MockWebServer()) {
            for (int i = 0; i < 3; i++) {
                none.enqueue(new MockResponse.Builder()
                        .code(404)
                        .body("{\"error\":\"not found\"}")
                        .build());
            }
            none.start(java.net.InetAddress.getLoopbackAddress(), 0);
            String base = "http://127.0.0.1:" + none.getPort();
            assertThat(ServerTokenizers.discover(HTTP, base, "m", null)).isNull();
            assertThat(none.getRequestCount()).isEqualTo(3);
        }
    }
}
