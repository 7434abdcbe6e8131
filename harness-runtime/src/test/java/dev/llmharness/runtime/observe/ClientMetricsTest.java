package dev.llmharness.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClientMetricsTest {
    private static RequestTiming completed(long index, long sent, long firstToken, long end) {
        RequestTiming t = new RequestTiming(index, sent, true);
        t.markSent(sent);
        t.onContentEvent(firstToken, 1);
        t.onContentEvent(end, 9);
        t.complete(end);
        return t;
    }

    @Test
    void theLivePortServesTheLastIntervalsFiguresLabelledByTrialAndTarget() throws Exception {
        ClientMetrics m = new ClientMetrics();
        m.startTrial("chat{rate=4}", "http://127.0.0.1:8000", () -> 3);
        var listener = m.listener();
        long s = 1_000_000_000L;
        listener.accept(completed(0, s, s + 100_000_000L, s + 1_000_000_000L));
        listener.accept(completed(1, s, s + 200_000_000L, s + 2_000_000_000L));
        RequestTiming timeout = new RequestTiming(2, s, true);
        timeout.markSent(s);
        timeout.fail(s + 5_000_000_000L, FailureCategory.TIMEOUT, "first-token timeout");
        listener.accept(timeout);
        m.update();
        try (LiveMetricsPort port = new LiveMetricsPort(0, m.registry())) {
            String body;
            try (var in = URI.create("http://127.0.0.1:" + port.port() + "/metrics")
                    .toURL()
                    .openStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<PromText.Sample> samples = PromText.parse(body).samples();
            assertThat(value(samples, "llm_active_users")).isEqualTo(3);
            assertThat(value(samples, "llm_error_rate")).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(value(samples, "llm_contention_error_rate"))
                    .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            // Two TTFTs, 100 and 200 ms: the median is the first (2 significant digits).
            assertThat(value(samples, "llm_ttft_p50_seconds"))
                    .isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.001));
            assertThat(value(samples, "llm_client_lag_p99_seconds"))
                    .isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.02));
            assertThat(samples)
                    .filteredOn(x -> x.name().equals("llm_active_users"))
                    .allMatch(x -> x.labels().get("trial").equals("chat{rate=4}")
                            && x.labels().get("target").equals("http://127.0.0.1:8000"));
        }
        // A new trial drops the previous one's series.
        m.startTrial("next", "http://127.0.0.1:8000", () -> 0);
        assertThat(m.registry().scrape().stream()
                        .flatMap(snapshot -> snapshot.getDataPoints().stream())
                        .map(p -> p.getLabels().get("trial")))
                .containsOnly("next");
    }

    @Test
    void aPushCarriesBasicAuthFromTheEnvironmentAndAFailedPushIsOnlyAWarning() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            new MetricsPush(url, "bench", "ci-1", "user:secret", new PrometheusRegistry(), new PrintStream(err)).push();
        } finally {
            server.stop(0);
        }
        String basic =
                "Basic " + java.util.Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(seen).containsExactly("PUT /metrics/job/bench/instance/ci-1 " + basic);

        MetricsPush nowhere = new MetricsPush(
                URI.create("http://127.0.0.1:1"),
                "bench",
                "ci-1",
                null,
                new PrometheusRegistry(),
                new PrintStream(err));
        nowhere.push();
        nowhere.push();
        assertThat(nowhere.failures()).isEqualTo(2);
        assertThat(err.toString()).containsOnlyOnce("WARNING pushing metrics to http://127.0.0.1:1 failed");
    }

    private static double value(List<PromText.Sample> samples, String name) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing"))
                .value();
    }
}
