package dev.llmharness.runtime.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that answers each request, on whatever connection it comes, with the
 * next scripted answer byte for byte: for framing a real server would never send (bad chunk sizes,
 * bad status lines, HTTP/1.0, a body until the close). Without a script left it closes the
 * connection. {@link #close()} closes every socket.
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

    private final ServerSocket server;
    private final Queue<Answer> script;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final CopyOnWriteArrayList<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RawHttpServer(Answer... answers) throws IOException {
        this.script = new ConcurrentLinkedQueue<>(java.util.List.of(answers));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start(this::accept, "raw-http-accept");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Requests read so far. */
    int requests() {
        return requests.get();
    }

    private void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                start(() -> serve(s), "raw-http-conn");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed && readRequest(in)) {
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
        } catch (IOException e) {
            // The client went away.
        } finally {
            sockets.remove(socket);
        }
    }

    /** Reads one request (head, and a body of its Content-Length); false at the connection's end. */
    private static boolean readRequest(InputStream in) throws IOException {
        String line = StreamingTestServer.readLine(in);
        if (line == null) {
            return false;
        }
        int length = 0;
        while ((line = StreamingTestServer.readLine(in)) != null && !line.isEmpty()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(
                        lower.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(length);
        return line != null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
