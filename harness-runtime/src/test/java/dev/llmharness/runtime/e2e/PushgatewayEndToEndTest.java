package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.observe.PromText;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmh run --push} against a real Prometheus Pushgateway (Debian's {@code
 * prometheus-pushgateway}, which {@code .ci/run} installs) on a free loopback port, started and
 * stopped here. Where it is not installed the test is skipped, saying so; it is never faked.
 */
class PushgatewayEndToEndTest {
    static final Path PUSHGATEWAY = Path.of("/usr/bin/prometheus-pushgateway");

    @TempDir
    Path dir;

    @Test
    void theSeedsSeriesArePushedWithJobInstanceTrialAndTargetLabels() throws Exception {
        if (!Files.isExecutable(PUSHGATEWAY)) {
            System.err.println("SKIPPED: " + PUSHGATEWAY + " is missing (apt-get install prometheus-pushgateway)");
        }
        assumeTrue(
                Files.isExecutable(PUSHGATEWAY),
                PUSHGATEWAY + " is missing: install Debian's prometheus-pushgateway (.ci/run does) to run this test");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process gateway = new ProcessBuilder(PUSHGATEWAY.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushgateway.log").toFile())
                .start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(base + "/-/ready", gateway);
            TrialSpec trial = E2e.trial(
                    "pushed",
                    new OpenLoopModel(Arrival.CONSTANT, 10, 0),
                    Phase.NONE,
                    Phase.ofDuration(Duration.ofSeconds(2)),
                    new ShapeWorkload(
                            ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(4), 0, true, "cl100k_base", null),
                    SloSpec.NONE,
                    1);
            E2e.Outcome o;
            String target;
            try (SimServer sim = SimServer.start(SimConfig.preset("fixed-itl"))) {
                target = sim.baseUrl();
                o = E2e.llmh(
                        List.of(trial),
                        "run",
                        "--url",
                        sim.baseUrl(),
                        "--output",
                        dir.resolve("pushed.json").toString(),
                        "--progress",
                        "0s",
                        "--no-report",
                        "--push",
                        base,
                        "--push-job",
                        "llmh-test",
                        "--push-instance",
                        "ci",
                        "--push-interval",
                        "500ms");
            }
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            assertThat(o.err()).contains("pushing the client's metrics to " + base);
            List<PromText.Sample> samples =
                    PromText.parse(get(base + "/metrics")).samples();
            Map<String, String> labels =
                    Map.of("job", "llmh-test", "instance", "ci", "trial", trial.id(), "target", target);
            for (String name : List.of(
                    "llm_client_lag_p50_seconds",
                    "llm_client_lag_p90_seconds",
                    "llm_client_lag_p99_seconds",
                    "llm_ttft_p50_seconds",
                    "llm_ttft_p90_seconds",
                    "llm_ttft_p99_seconds",
                    "llm_tokens_per_second",
                    "llm_request_rate_per_second",
                    "llm_error_rate",
                    "llm_contention_error_rate",
                    "llm_active_users")) {
                assertThat(samples)
                        .as(name)
                        .anyMatch(s ->
                                s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()));
            }
            double ttft = samples.stream()
                    .filter(s -> s.name().equals("llm_ttft_p50_seconds"))
                    .findFirst()
                    .orElseThrow()
                    .value();
            assertThat(ttft).isPositive().isLessThan(5);
            assertThat(samples)
                    .as("the Pushgateway's own record of the push")
                    .anyMatch(s -> s.name().equals("push_time_seconds")
                            && "llmh-test".equals(s.labels().get("job")));
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
                gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitReady(String url, Process gateway) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("prometheus-pushgateway exited with " + gateway.exitValue());
            }
            try {
                HttpURLConnection c =
                        (HttpURLConnection) URI.create(url).toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("prometheus-pushgateway did not become ready at " + url);
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
