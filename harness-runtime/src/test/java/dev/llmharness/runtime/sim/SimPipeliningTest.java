package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 pipelining, checked with a raw socket (JDK and OkHttp clients do not pipeline). */
class SimPipeliningTest {
    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        try (SimServer server = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                        .fixedTtft(java.time.Duration.ofMillis(5))
                        .fixedItl(java.time.Duration.ofMillis(5))
                        .build());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            String body =
                    "{\"model\":\"sim-llm\",\"prompt\":\"hi\",\"max_tokens\":3,\"ignore_eos\":true,\"stream\":true}";
            String post = "POST /v1/completions HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
                    + "X-Llmh-Request-Id: %s\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            String all = String.format(post, "p1") + String.format(post, "p2")
                    + "GET /health HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(all.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received); // until the server closes after the last response
            String text = received.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            int first = text.indexOf("x-request-id: p1");
            int second = text.indexOf("x-request-id: p2");
            int health = text.indexOf("{\"status\":\"ok\"}");
            assertThat(first).isPositive();
            assertThat(text.indexOf("data: [done]", first)).isPositive();
            assertThat(second).isGreaterThan(text.indexOf("data: [done]", first));
            assertThat(health).isGreaterThan(text.indexOf("data: [done]", second));
            assertThat(server.groundTruth(false))
                    .extracting(GroundTruth::requestId)
                    .containsExactly("p1", "p2");
        }
    }
}
