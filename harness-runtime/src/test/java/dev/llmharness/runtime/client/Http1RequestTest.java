package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bytes the event loop writes for a request: request line, headers (OkHttp's, plus what
 * OkHttp adds itself) and body, encoded once on the request's thread.
 */
class Http1RequestTest {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static EventLoopTransport transport;

    @BeforeAll
    static void start() {
        transport = new EventLoopTransport(ClientTimeouts.defaults());
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    private static String encode(Request r, byte[] body) {
        return new String(Http1Request.encode(r, body, transport.destination(r.url())), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestIsItsLineItsHeadersAndItsBodyInOneArray() {
        byte[] body = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        Request r = new Request.Builder()
                .url("http://127.0.0.1:8000/v1/chat/completions?x=1")
                .header("X-Llmh-Request-Id", "7")
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(body, JSON))
                .build();
        assertThat(encode(r, body))
                .isEqualTo("POST /v1/chat/completions?x=1 HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:8000\r\n"
                        + "User-Agent: llmh\r\n"
                        + "Content-Type: application/json; charset=utf-8\r\n"
                        + "Content-Length: 13\r\n"
                        + "X-Llmh-Request-Id: 7\r\n"
                        + "Accept: text/event-stream\r\n"
                        + "\r\n"
                        + "{\"model\":\"m\"}");
    }

    @Test
    void theDefaultPortIsLeftOutOfTheHostAndABodylessGetHasALengthOfZero() {
        Request r = new Request.Builder().url("http://127.0.0.1/v1/models").build();
        assertThat(encode(r, new byte[0]))
                .isEqualTo(
                        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: llmh\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void headersTheRequestSetsItselfReplaceTheDefaults() {
        Request r = new Request.Builder()
                .url("http://127.0.0.1:8000/v1/completions")
                .header("user-agent", "mine/1")
                .header("Host", "proxy.example")
                .post(RequestBody.create(new byte[] {'{', '}'}, JSON))
                .build();
        String wire = encode(r, new byte[] {'{', '}'});
        assertThat(wire).doesNotContain("User-Agent: llmh").contains("user-agent: mine/1\r\n");
        assertThat(wire).doesNotContain("Host: 127.0.0.1").contains("Host: proxy.example\r\n");
        assertThat(wire).endsWith("\r\n\r\n{}");
    }

    @Test
    void aHeaderThatWouldBreakTheHeadOrHasNoLatin1ByteIsRefused() {
        for (String[] bad : new String[][] {{"5 \u20ac", "U+20AC"}, {"a\r\nX-Injected: 1", "U+000D"}}) {
            Request r = new Request.Builder()
                    .url("http://127.0.0.1:8000/v1/models")
                    .headers(new Headers.Builder()
                            .addUnsafeNonAscii("X-Price", bad[0])
                            .build())
                    .build();
            assertThatThrownBy(() -> encode(r, new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("header X-Price cannot be sent: its value holds the character " + bad[1]);
        }
    }
}
