package dev.llmharness.runtime.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that answers each request, on whatever connection it comes, with the
 * next scripted answer byte for byte: for framing a real server would never send (bad chunk sizes,
 * bad status lines, HTTP/1.0, a body until the close). Without a script left it closes the
 * connection. {@link #close()} closes every socket. The sockets are {@link LoopbackServer}'s.
 */
final class RawHttpServer implements AutoCloseable {
    /**
     * One answer.
     *
     * @param bytes written as they are
     * @param close whether the server closes the connection after writing them (else it waits for
     *     the connection's next request)
     */
    record Answer(byte[] bytes, boolean close) {
        static Answer of(String wire, boolean close) {
            return new Answer(wire.getBytes(StandardCharsets.ISO_8859_1), close);
        }
    }

    private final LoopbackServer server;
    private final Queue<Answer> script;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    RawHttpServer(Answer... answers) throws IOException {
        this.script = new ConcurrentLinkedQueue<>(java.util.List.of(answers));
        this.server = new LoopbackServer("raw-http", 50, this::serve);
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** Connections accepted so far. */
    int connections() {
        return server.connections();
    }

    /** Requests read so far. */
    int requests() {
        return requests.get();
    }

    /** Answers each request of one connection with the next scripted answer; returns to close it. */
    private void serve(InputStream in, OutputStream out) throws IOException {
        // Requests are read as the streaming server reads them (head, then a Content-Length body).
        while (!closed && StreamingTestServer.readRequest(in) != null) {
            requests.incrementAndGet();
            Answer a = script.poll();
            if (a == null) {
                return;
            }
            out.write(a.bytes());
            out.flush();
            if (a.close()) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
