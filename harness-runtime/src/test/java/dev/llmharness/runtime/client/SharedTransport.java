package dev.llmharness.runtime.client;

/**
 * The transport a client test class parameterised over {@link TransportKind} shares between its
 * tests: opened for the first test of a kind, closed and reopened only when the kind changes, and
 * closed by the class's {@code @AfterAll}. Not thread-safe: JUnit runs a class's tests one at a time.
 */
final class SharedTransport {
    private final int connections;
    private final ClientTimeouts timeouts;
    private TransportKind kind;
    private ClientTransport transport;

    SharedTransport(int connections, ClientTimeouts timeouts) {
        this.connections = connections;
        this.timeouts = timeouts;
    }

    /** The open transport of {@code kind}, opening it (and closing the other kind's) when needed. */
    ClientTransport of(TransportKind kind) {
        if (this.kind != kind) {
            close();
            this.kind = kind;
            transport = kind.open(connections, timeouts);
        }
        return transport;
    }

    void close() {
        if (transport != null) {
            transport.close();
            transport = null;
            kind = null;
        }
    }
}
