package dev.llmharness.runtime.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The socket side of the tests' own HTTP servers ({@link StreamingTestServer}, {@link
 * RawHttpServer}): a server socket on 127.0.0.1 and a daemon thread per accepted connection (no
 * Nagle delay), which runs the server's {@link Connection} until it returns, then closes the
 * connection. {@link #close()} closes every socket, interrupts the threads (a connection's thread
 * may sleep in a scripted pause) and joins them.
 */
final class LoopbackServer implements AutoCloseable {
    /** What a server does with one connection: reads its requests and answers them. */
    interface Connection {
        /** Serves one connection; returns when the connection is to be closed. */
        void serve(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private final String name;
    private final Connection connection;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param name the prefix of its threads' names
     * @param backlog connections the server socket queues before they are accepted
     */
    LoopbackServer(String name, int backlog, Connection connection) throws IOException {
        this.name = name;
        this.connection = connection;
        this.server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        start(this::accept, name + "-accept");
    }

    /**
     * A port on 127.0.0.1 that refuses connections for as long as the returned socket stays open:
     * the socket is bound, never listening, so a connect to its port is refused, and no other
     * socket (another test's server, the simulator of a measurement beside the build) can take the
     * port meanwhile, as one can between closing a listener and connecting to its freed port.
     */
    static Socket refusingPort() throws IOException {
        Socket bound = new Socket();
        bound.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return bound;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    private void start(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                accepted.incrementAndGet();
                sockets.add(s);
                start(() -> serve(s), name + "-conn");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            connection.serve(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            // The client went away, or the server closed: nothing more to answer.
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
