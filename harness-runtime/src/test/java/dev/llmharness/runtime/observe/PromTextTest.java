package dev.llmharness.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {
    static String resource(String name) throws IOException {
        try (InputStream in = PromTextTest.class.getResourceAsStream("/observe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsLlamaCppsRealExposition() throws IOException {
        PromText.Exposition e = PromText.parse(resource("llamacpp-metrics.prom"));
        assertThat(e.samples()).hasSize(12);
        assertThat(e.types()).containsEntry("llamacpp:kv_cache_usage_ratio", "gauge");
        PromText.Sample kv = e.samples().stream()
                .filter(s -> s.name().equals("llamacpp:kv_cache_usage_ratio"))
                .findFirst()
                .orElseThrow();
        assertThat(kv.value()).isEqualTo(0.00112915);
        assertThat(kv.labels()).isEmpty();
    }

    @Test
    void readsLabelsEscapesSpecialValuesAndTimestamps() {
        PromText.Exposition e = PromText.parse("# HELP x a \"help\"\n"
                + "x{a=\"1\",b=\"q\\\"uote\\\\ \\n\"} +Inf 1700000000000\n"
                + "y NaN\n"
                + "z{le=\"0.5\", } -Inf\n"
                + "w{} 1e3\n");
        assertThat(e.samples()).hasSize(4);
        assertThat(e.samples().get(0).labels()).isEqualTo(Map.of("a", "1", "b", "q\"uote\\ \n"));
        assertThat(e.samples().get(0).value()).isInfinite();
        assertThat(e.samples().get(1).value()).isNaN();
        assertThat(e.samples().get(2).labels()).containsEntry("le", "0.5");
        assertThat(e.samples().get(3).value()).isEqualTo(1000);
        assertThat(e.samples().get(0).key()).isEqualTo("x{a=\"1\",b=\"q\\\"uote\\\\ \\n\"}");
    }

    @Test
    void aBrokenLineIsNamed() {
        assertThatThrownBy(() -> PromText.parse("ok 1\nbroken{a=\"1\" 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PromText.parse("novalue\n")).hasMessageContaining("no value");
    }

    @Test
    void readsTheSimulatorsExpositionWithItsHistograms() throws Exception {
        try (dev.llmharness.runtime.sim.SimServer server =
                dev.llmharness.runtime.sim.SimServer.start(dev.llmharness.runtime.sim.SimConfig.defaults())) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            PromText.Exposition e = PromText.parse(r.body());
            assertThat(e.types())
                    .containsEntry("vllm:num_requests_waiting", "gauge")
                    .containsEntry("vllm:time_to_first_token_seconds", "histogram")
                    .containsEntry("vllm:e2e_request_latency_seconds", "histogram");
            assertThat(e.samples())
                    .anyMatch(s -> s.name().equals("vllm:time_to_first_token_seconds_bucket")
                            && "+Inf".equals(s.labels().get("le")));
        }
    }
}
