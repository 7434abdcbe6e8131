package dev.llmharness.runtime.client;

import dev.llmharness.runtime.load.RequestThreads;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Builds the OkHttp client for a load. OkHttp's defaults (64 requests in flight, 5 per host, 5
 * idle connections) would silently serialise a benchmark, so the dispatcher and the connection
 * pool are sized from the load's concurrency. Requests run synchronously on the harness's own
 * request threads (virtual threads on JDK 21+); the dispatcher limits still matter for any
 * asynchronous call and are raised to match.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * A client for up to {@code maxConcurrent} streams at once.
     *
     * @param maxConcurrent expected peak of requests in flight, {@code >= 1}
     */
    public static OkHttpClient forLoad(int maxConcurrent, ClientTimeouts timeouts) {
        int n = Math.max(64, maxConcurrent);
        Dispatcher dispatcher = new Dispatcher(RequestThreads.newExecutor("llmh-okhttp"));
        dispatcher.setMaxRequests(n);
        dispatcher.setMaxRequestsPerHost(n);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(n, 5, TimeUnit.MINUTES))
                .connectTimeout(timeouts.connect())
                // Until headers arrive, a read waits for the first token; the stream reader then
                // switches each request's read timeout to the idle timeout.
                .readTimeout(timeouts.firstToken())
                .writeTimeout(timeouts.connect())
                .callTimeout(timeouts.total())
                // OkHttp's retry on a failed connection stays on: it replaces pooled connections the
                // server closed while idle (llama.cpp keeps them 5 s), before any response is read.
                .build();
    }

    /** Releases a client's threads and connections. */
    public static void close(OkHttpClient client) {
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
    }
}
