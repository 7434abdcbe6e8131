package dev.llmharness.runtime.client;

/**
 * How a prepared request reaches the server: waits for its intended instant, stamps {@code sent},
 * writes it, reads its answer into its timing record through the shared {@link Exchange} logic,
 * and returns when the request has ended. Two implementations: {@link OkHttpTransport} (the
 * request's own thread blocks in OkHttp) and {@link EventLoopTransport} (one event loop does the
 * timing-critical part of every request; the request's thread parks until the end). Thread-safe;
 * one transport serves many {@link LlmClient}s and trials; {@link #close()} it after the run.
 */
public interface ClientTransport extends AutoCloseable {
    /**
     * Runs one exchange: waits until its intended start, sends, reads, sets the outcome. Returns
     * when the request has ended (completed, failed or cancelled); never throws.
     */
    void execute(Exchange exchange);

    /** Which transport this is. */
    TransportKind kind();

    /** HTTP connections open now (in use or idle). */
    int connectionCount();

    /** Releases the transport's threads and connections. */
    @Override
    void close();
}
