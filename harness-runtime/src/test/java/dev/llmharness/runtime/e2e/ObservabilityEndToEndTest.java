package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.ServerMetrics;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's metrics scraped while an overloaded simulator queues requests, the JFR events of the
 * same run read back from a recording, and the cost of its throughput: through {@code llmh run} as
 * a user runs it.
 */
class ObservabilityEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anOverloadedSimulatorsQueueAndKvCacheShowInTheResultBesideJfrEventsAndCost() throws Exception {
        // Two sequences at a time, about 10 ms a step and 20 tokens each: ~9 requests/s served, 20 offered.
        SimConfig config = SimConfig.builder()
                .stepBase(Duration.ofMillis(10))
                .maxNumSeqs(2)
                .maxModelLen(1024)
                .kvCacheTokens(1024)
                .build();
        TrialSpec trial = E2e.trial(
                "observed",
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(3)),
                new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.fixed(20), 0, true, "cl100k_base", null),
                SloSpec.NONE,
                1);
        Path out = dir.resolve("observed.json");
        Path jfr = dir.resolve("run.jfr");
        E2e.Outcome o;
        try (SimServer sim = SimServer.start(config);
                Recording recording = new Recording()) {
            recording.enable("dev.llmharness.Request");
            recording.enable("dev.llmharness.TrialPhase");
            recording.start();
            o = E2e.llmh(
                    List.of(trial),
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--output",
                    out.toString(),
                    "--progress",
                    "0s",
                    "--scrape-interval",
                    "250ms",
                    "--instance-price",
                    "98.32",
                    "--gpus-per-instance",
                    "8",
                    "--gpu-utilization",
                    "0.6",
                    "--max-error-rate",
                    "none");
            recording.stop();
            recording.dump(jfr);
        }
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        assertThat(o.err()).contains("scraping the server's metrics at ");
        TrialResult r = ResultJson.read(out).trials().get(0);

        // The server's own view: its queue grew, its KV cache filled, and both emptied by the end.
        ServerMetrics s = r.server();
        assertThat(s).as(Files.readString(out)).isNotNull();
        assertThat(s.engines()).containsExactly("vllm");
        assertThat(s.failedScrapes()).isZero();
        assertThat(s.scrapes()).isGreaterThan(8);
        assertThat(max(s.series().get("waiting")))
                .as("requests queued at the server")
                .isGreaterThan(5);
        assertThat(max(s.series().get("running"))).isEqualTo(2);
        assertThat(max(s.series().get("kvCacheUsage"))).isGreaterThan(0);
        if (r.counts().cancelled() == 0) { // every request ended before the drain timeout
            assertThat(last(s.series().get("waiting"))).as("after the drain").isZero();
            assertThat(last(s.series().get("running"))).isZero();
        }
        assertThat(max(s.series().get("generationTokensPerSecond"))).isGreaterThan(50);
        // Its TTFT histogram counted the window's requests; the client's TTFT also holds the queue.
        assertThat(s.ttft().count()).isPositive();
        assertThat(s.e2e().count()).isPositive();
        assertThat(s.ttftClientMinusServer().p50()).isNotNull();

        // Cost: AWS p5.48xlarge's price, one GPU of eight at 60 %: 98.32 / 8 x 0.6 = 7.374 per hour.
        assertThat(r.cost().costPerHour()).isEqualTo(7.374);
        assertThat(r.cost().allocation()).isEqualTo("proportional");
        double perMillion = 7.374 / (r.throughput().outputTokensPerSecond() * 3600) * 1e6;
        assertThat(r.cost().costPerMillionOutputTokens())
                .isCloseTo(perMillion, org.assertj.core.data.Offset.offset(perMillion * 1e-5));

        // JFR: one request event per request sent, and the trial's phases.
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        List<RecordedEvent> requests = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.llmharness.Request"))
                .filter(e -> r.id().equals(e.getString("trial")))
                .toList();
        assertThat(requests).hasSize((int) r.counts().sent());
        RecordedEvent one = requests.stream()
                .filter(e -> "completed".equals(e.getString("outcome")))
                .findFirst()
                .orElseThrow();
        assertThat(one.getDuration("ttft")).isPositive();
        assertThat(one.getDuration("e2e")).isGreaterThan(one.getDuration("ttft"));
        assertThat(one.getLong("outputTokens")).isEqualTo(20);
        assertThat(one.getString("target"))
                .isEqualTo(r.server().sources().get(0).replace("/metrics", ""));
        assertThat(events.stream()
                        .filter(e -> e.getEventType().getName().equals("dev.llmharness.TrialPhase"))
                        .map(e -> e.getString("phase")))
                .containsExactlyInAnyOrder("trial", "warmup", "measurement", "drain");

        // The report shows the server beside the client, and the cost.
        String md = Files.readString(dir.resolve("observed").resolve("report.md"));
        assertThat(md).contains("Server metrics").contains("Cost");
        String html = Files.readString(dir.resolve("observed").resolve("report.html"));
        assertThat(html).contains("<section id=\"server-metrics\">").contains("<section id=\"cost\">");

        // Compare shows the cost beside the throughput it follows.
        E2e.Outcome compared = E2e.compare(
                out.toString(),
                "--",
                E2e.anotherRun(out, dir.resolve("observed-again.json")).toString());
        assertThat(compared.out())
                .as(compared.toString())
                .containsPattern("costPerMillionOutputTokens +[0-9.]+ per 1M output tokens")
                .contains("costPerThousandRequests");
    }

    private static double max(List<Double> values) {
        return values.stream()
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElseThrow();
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }
}
