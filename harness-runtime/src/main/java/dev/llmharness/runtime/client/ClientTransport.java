package dev.llmharness.runtime.client;

/**
 * How a prepared request reaches the server: waits for its intended instant, stamps {@code sent},
 * writes it, reads its answer into its timing record through the shared {@link Exchange} logic,
 * and returns when the request has ended. Two implementations: {@link OkHttpTransport} (the
 * request's own thread blocks in OkHttp) and {@link EventLoopTransport} (one event loop does the
 * timing-critical part of every request: the caller either parks until the end, {@link #execute},
 * or is called back, {@link #start}). Thread-safe;
 * one transport serves many {@link LlmClient}s and trials; {@link #close()} it after the run.
 */
public interface ClientTransport extends AutoCloseable {
    /**
     * Runs one exchange: waits until its intended start, sends, reads, sets the outcome. Returns
     * when the request has ended (completed, failed or cancelled); never throws.
     */
    void execute(Exchange exchange);

    /**
     * Whether this transport ends requests without a thread of their own: {@link #start} returns
     * once the request is handed over, and the transport's own thread runs {@code ended} at the
     * end. When false, {@link #start} runs the whole exchange on the caller's thread, as {@link
     * #execute} does.
     */
    default boolean completesAsynchronously() {
        return false;
    }

    /**
     * Starts one exchange: as {@link #execute}, but returns without waiting for its end when the
     * transport {@link #completesAsynchronously()}. {@code ended} runs exactly once, after the
     * request's outcome is set: on the transport's thread (an event loop: it must not block or
     * throw), or on the caller's thread before this returns (a request that could not start, or a
     * transport that does not complete asynchronously). Never throws.
     */
    default void start(Exchange exchange, Runnable ended) {
        try {
            execute(exchange);
        } finally {
            ended.run();
        }
    }

    /**
     * The transport's own sending thread when it {@link #completesAsynchronously()} (an event
     * loop): a caller may run timed, non-blocking work there, such as walking an arrival schedule,
     * so that a request handed to {@link #start} from that thread needs no cross-thread hand-off.
     * {@code null} (the default) when there is none.
     */
    default java.util.concurrent.ScheduledExecutorService sendingLoop() {
        return null;
    }

    /** Which transport this is. */
    TransportKind kind();

    /** HTTP connections open now (in use or idle). */
    int connectionCount();

    /**
     * Connections this transport has opened since it was made, pre-opened ones included: what a
     * trial's requests connected is the difference over the trial.
     */
    long connects();

    /**
     * Opens idle keep-alive connections to the server of {@code probe} until {@code wanted} are open
     * (those already open count), at the modest pace of {@link Preopening}, so that a load's
     * requests find them in the pool instead of connecting after {@code sent}. Returns when every
     * connect has ended; a failed connect is counted in the result, never thrown.
     *
     * @param probe a cheap request the server answers (the protocol's model list): its URL gives
     *     the route; the threads transport sends it once on each connection, as OkHttp opens a
     *     connection only for a call, while the event loop opens bare connections
     * @param wanted connections to have open, {@code >= 0}
     */
    Preopened preopen(okhttp3.Request probe, int wanted) throws InterruptedException;

    /** Releases the transport's threads and connections. */
    @Override
    void close();
}
