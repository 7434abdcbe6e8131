package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Start and close: no thread, port or connection left behind. */
class SimServerLifecycleTest {
    private static List<String> simThreads() throws InterruptedException {
        List<String> names = List.of();
        for (int i = 0; i < 100; i++) {
            names = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(n -> n.startsWith(SimServer.THREAD_PREFIX))
                    .toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(50);
        }
        return names;
    }

    @Test
    void closeEndsEveryThreadAndReleasesThePortEvenWithStreamsInFlight() throws Exception {
        for (String preset : List.of("default", "fixed-itl", "zero")) {
            SimServer server = SimServer.start(
                    SimConfig.preset(preset).toBuilder().ioThreads(2).build());
            int port = server.port();
            assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
            SimHttp http = new SimHttp(server.baseUrl());
            CompletableFuture<HttpResponse<String>> inFlight = http.client()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":"
                                                            + "\"Hi\"}],\"max_tokens\":2000,\"ignore_eos\":true,\"stream\":true}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            Thread.sleep(100);
            server.close();
            server.close(); // idempotent
            assertThat(simThreads()).as("threads of %s after close", preset).isEmpty();
            try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            // the in-flight stream ends (completely for zero, cut short otherwise): no hang
            try {
                inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the in-flight stream of " + preset + " did not end after close", e);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void aPortInUseGivesAnErrorThatSaysWhatToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SimConfig config = SimConfig.preset("zero").toBuilder()
                    .port(taken.getLocalPort())
                    .build();
            assertThatThrownBy(() -> SimServer.start(config))
                    .isInstanceOf(SimException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--port");
        }
        assertThat(simThreads()).isEmpty();
    }

    @Test
    void anInvalidConfigurationIsRefusedWithTheReason() {
        assertThatThrownBy(() -> SimConfig.builder().itlScale(0).build())
                .hasMessageContaining("itlScale (--itl-scale) must be above 0 and at most 1000");
        assertThatThrownBy(() ->
                        SimConfig.builder().maxModelLen(4096).kvCacheTokens(100).build())
                .hasMessageContaining(
                        "kvCacheTokens (--kv-cache-tokens, 100) must be at least maxModelLen (--max-model-len, 4096)");
        assertThatThrownBy(() -> SimConfig.builder()
                        .faultRate(FaultKind.HTTP_500, 0.7)
                        .faultRate(FaultKind.RESET, 0.7)
                        .build())
                .hasMessageContaining("add up to at most 1");
        assertThatThrownBy(() -> SimConfig.preset("h100"))
                .hasMessageContaining("unknown simulator preset 'h100'")
                .hasMessageContaining("small-fast");
    }
}
