package dev.llmharness.runtime.observe;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves a registry at {@code http://127.0.0.1:PORT/metrics} with the official client's server. */
final class LiveMetricsPort implements AutoCloseable {
    private final HTTPServer server;

    /** @param port the port, 0 for a free one */
    LiveMetricsPort(int port, PrometheusRegistry registry) {
        try {
            server = HTTPServer.builder()
                    .hostname("127.0.0.1")
                    .port(port)
                    .registry(registry)
                    .buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics on port " + port + " (--metrics-port): " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
