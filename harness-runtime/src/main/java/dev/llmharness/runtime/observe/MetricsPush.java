package dev.llmharness.runtime.observe;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * Pushes a registry to a Prometheus Pushgateway with the official client, under a job and an
 * {@code instance} grouping key. Each push replaces the group (HTTP PUT), so a finished trial's
 * series leave with the next push. A failed push is a warning, never a failed run.
 */
final class MetricsPush {
    private final PushGateway gateway;
    private final URI url;
    private final PrintStream err;
    private int failures;

    MetricsPush(URI url, String job, String instance, String auth, PrometheusRegistry registry, PrintStream err) {
        this.url = url;
        this.err = err;
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        PushGateway.Builder b = PushGateway.builder()
                .address(url.getHost() + ":" + port + path)
                .scheme("https".equals(url.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
                .job(job)
                .groupingKey("instance", instance)
                .registry(registry)
                .connectionTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
        if (auth != null) {
            int colon = auth.indexOf(':');
            b.basicAuth(auth.substring(0, colon), auth.substring(colon + 1));
        }
        this.gateway = b.build();
    }

    /** Pushes now; a failure is reported on the first occurrence and counted. */
    void push() {
        try {
            gateway.push();
        } catch (IOException | RuntimeException e) {
            if (failures++ == 0) {
                err.println("llmh: WARNING pushing metrics to " + url + " failed (" + e.getMessage()
                        + "); the run goes on, later failures are counted");
            }
        }
    }

    int failures() {
        return failures;
    }
}
