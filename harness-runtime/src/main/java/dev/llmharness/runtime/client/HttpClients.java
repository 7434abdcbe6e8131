package dev.llmharness.runtime.client;

import dev.llmharness.runtime.load.RequestThreads;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

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
                // Idle connections are kept an hour, not OkHttp's 5 minutes, so that those opened
                // ahead of a load (--preopen) still wait when its peak comes late in a long trial;
                // a server that closes them sooner is answered by OkHttp's retry on a new one.
                .connectionPool(new ConnectionPool(n, 1, TimeUnit.HOURS))
                .connectTimeout(timeouts.connect())
                // Until headers arrive, a read waits for the first token; the stream reader then
                // switches each request's read timeout to the idle timeout.
                .readTimeout(timeouts.firstToken())
                .writeTimeout(timeouts.connect())
                .callTimeout(timeouts.total())
                .addNetworkInterceptor(HttpClients::untimedSocketReads)
                // OkHttp's retry on a failed connection stays on: it replaces pooled connections the
                // server closed while idle (llama.cpp keeps them 5 s), before any response is read.
                .build();
    }

    /**
     * Once the response headers are in, takes the read timeout off the socket and leaves it to
     * Okio's timeout of the body source (a watchdog thread that closes the socket), which OkHttp
     * sets too and the stream reader switches to the idle timeout. A socket with a timeout makes
     * every blocking read two more system calls (a non-blocking read, then {@code poll}) on JDK 17,
     * and a timer task per read on a virtual thread; a stream reads once per token event. OkHttp
     * sets the socket timeout again for the next exchange on the connection.
     */
    private static Response untimedSocketReads(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        Connection connection = chain.connection();
        if (connection != null) {
            connection.socket().setSoTimeout(0);
        }
        return response;
    }

    /** Releases a client's threads and connections. */
    public static void close(OkHttpClient client) {
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
    }
}
