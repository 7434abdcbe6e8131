package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.runtime.protocol.EventDecoder;
import dev.llmharness.runtime.protocol.FrameReader;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.Protocols;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event loop's HTTP/1.1 encoder and decoder against the simulator on loopback, with no
 * transport around them: requests encoded by {@link Http1Request} are written on a plain socket,
 * and each socket read is decoded by {@link Http1ResponseDecoder} as it comes, then framed into
 * events by the protocol's reader.
 */
class Http1SimulatorTest {
    private static LoopSimulator loop;
    private static SimServer sim;
    private static EventLoopTransport transport;
    private static LlmClient client;

    @BeforeAll
    static void start() {
        loop = LoopSimulator.start();
        sim = loop.sim;
        // Only for LlmClient.prepare and the destination: nothing is sent through it.
        transport = loop.transport;
        client = loop.client;
    }

    @AfterAll
    static void stop() {
        loop.close();
    }

    /** What one answer on the socket came to. */
    private static final class Answer implements ResponseSink {
        private final Protocol protocol = Protocols.of(Api.OPENAI_CHAT);
        private final FrameReader reader = protocol.framing().reader();
        private final EventDecoder parser = protocol.newDecoder(false);
        ResponseHead head;
        int contentEvents;
        boolean done;
        boolean ended;
        boolean cut;

        @Override
        public void onHead(ResponseHead h) {
            head = h;
        }

        @Override
        public void onBody(byte[] bytes, int offset, int length) {
            try {
                reader.feed(bytes, offset, length, (data, from, n) -> {
                    EventDecoder.Kind kind = parser.decode(data, from, n);
                    if (kind == EventDecoder.Kind.CONTENT) {
                        contentEvents++;
                    }
                    done |= kind == EventDecoder.Kind.DONE;
                    return !done;
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onEnd() {
            ended = true;
        }
    }

    private static byte[] request(String fault, long id, int tokens) {
        PreparedRequest p = TransportUnderTest.withFault(
                client.prepare(ChatRequest.of("Hi", tokens).exactOutput(true), id), fault);
        return Http1Request.encode(
                p.http(), p.body(), transport.destination(p.http().url()));
    }

    /** Writes the request, then decodes each read as it returns until the answer ends or the socket does. */
    private static Answer exchange(Socket socket, Http1ResponseDecoder decoder, byte[] request) throws IOException {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        Answer a = new Answer();
        InputStream in = socket.getInputStream();
        byte[] read = new byte[8192];
        while (!a.ended) {
            int n;
            try {
                n = in.read(read);
            } catch (SocketException reset) {
                n = -1;
            }
            if (n < 0) {
                a.cut = true;
                if (decoder.closed(a)) {
                    a.cut = false;
                }
                break;
            }
            assertThat(decoder.decode(read, 0, n, a))
                    .as("nothing follows the answer")
                    .isEqualTo(n);
        }
        return a;
    }

    private static Socket connect() throws IOException {
        HttpUrl url = HttpUrl.parse(sim.baseUrl());
        Socket s = new Socket(url.host(), url.port());
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    @Test
    void encodedRequestsAndDecodedStreamsFollowOneAnotherOnOneKeepAliveConnection() throws Exception {
        try (Socket socket = connect()) {
            Http1ResponseDecoder decoder = new Http1ResponseDecoder();
            for (int i = 0; i < 5; i++) {
                Answer a = exchange(socket, decoder, request(null, 7000 + i, 16 + i));
                assertThat(a.head.status()).isEqualTo(200);
                assertThat(a.head.framing()).isEqualTo(ResponseHead.Framing.CHUNKED);
                assertThat(a.head.contentType()).startsWith("text/event-stream");
                assertThat(a.head.reusable()).isTrue();
                assertThat(a.ended).isTrue();
                assertThat(a.done).isTrue();
                assertThat(a.contentEvents).isEqualTo(16 + i);
            }
        }
    }

    @Test
    void aTruncatedStreamEndsItsBodyCleanlyAndSaysTheConnectionIsNotForReuse() throws Exception {
        try (Socket socket = connect()) {
            Answer a = exchange(socket, new Http1ResponseDecoder(), request("truncate;after=3", 7100, 8));
            assertThat(a.ended).isTrue();
            assertThat(a.done).isFalse();
            assertThat(a.contentEvents).isEqualTo(3);
            assertThat(a.head.reusable())
                    .as("the simulator answers Connection: close")
                    .isFalse();
        }
    }

    @Test
    void aResetMidStreamIsNeverAnEndOfTheBody() throws Exception {
        try (Socket socket = connect()) {
            Answer a = exchange(socket, new Http1ResponseDecoder(), request("reset;after=3", 7200, 8));
            assertThat(a.head.status()).isEqualTo(200);
            assertThat(a.cut).isTrue();
            assertThat(a.ended).isFalse();
            assertThat(a.contentEvents).isEqualTo(3);
        }
    }

    @Test
    void aRefusedRequestsAnswerIsDecodedWithItsStatusAndBody() throws Exception {
        try (Socket socket = connect()) {
            Http1ResponseDecoder decoder = new Http1ResponseDecoder();
            Answer a = exchange(socket, decoder, request("http_503", 7300, 8));
            assertThat(a.head.status()).isEqualTo(503);
            assertThat(a.ended).isTrue();
            assertThat(a.head.framing()).isEqualTo(ResponseHead.Framing.LENGTH);
            assertThat(a.head.reusable()).isTrue();
            // The refusal's body was read to its end: the connection carries the next request.
            assertThat(exchange(socket, decoder, request(null, 7301, 4)).contentEvents)
                    .isEqualTo(4);
        }
    }
}
