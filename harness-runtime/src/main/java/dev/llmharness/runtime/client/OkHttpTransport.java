package dev.llmharness.runtime.client;

import dev.llmharness.runtime.load.IntendedStartWait;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The threads transport: each request's own thread waits for the intended instant ({@link
 * IntendedStartWait}), then blocks in OkHttp's call and reads the body. A stream's reads are timed
 * by the client's {@link StallWatch}; OkHttp times the connect, the headers and the whole call.
 */
public final class OkHttpTransport implements ClientTransport {
    private final OkHttpClient http;
    /**
     * For non-streamed requests: the same client with a read timeout of the total timeout, as the
     * first-token timeout does not apply to an answer whose headers come when it is whole.
     */
    private final OkHttpClient wholeHttp;

    private final ClientTimeouts timeouts;
    private final boolean owned;
    /** Connects started by this transport's calls ({@link EventListener#connectStart}). */
    private final java.util.concurrent.atomic.LongAdder connects = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param http the client (its pool and dispatcher sized by {@link HttpClients#forLoad})
     * @param owned whether {@link #close()} releases {@code http} too
     */
    public OkHttpTransport(OkHttpClient http, ClientTimeouts timeouts, boolean owned) {
        // The same pool and dispatcher, with a listener that counts this transport's connects.
        this.http = http.newBuilder()
                .eventListener(new EventListener() {
                    @Override
                    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                        connects.increment();
                    }
                })
                .build();
        this.timeouts = timeouts;
        this.owned = owned;
        this.wholeHttp = this.http.newBuilder().readTimeout(timeouts.total()).build();
    }

    @Override
    public void execute(Exchange ex) {
        IntendedStartWait.until(ex.intendedStart());
        if (ex.ended()) {
            return; // cancelled while it waited
        }
        boolean streamed = ex.request().streamed();
        Call call = (streamed ? http : wholeClient(ex.timeouts()))
                .newCall(ex.request().http());
        ex.onCancel(call::cancel);
        boolean headers = false;
        try {
            ex.markSent(System.nanoTime());
            try (Response response = call.execute()) {
                headers = true;
                if (!ex.onStatus(response.code())) {
                    ex.failStatus(response.code(), snippet(response));
                    return;
                }
                ResponseBody body = response.body();
                if (!streamed) {
                    if (ex.acceptsWhole(body.contentType())) {
                        byte[] bytes = body.bytes();
                        ex.readWhole(bytes, System.nanoTime(), response::header);
                    }
                    return;
                }
                if (ex.acceptsStream(body.contentType())) {
                    readStream(ex, call, body.source());
                }
            }
        } catch (IOException e) {
            long now = System.nanoTime();
            if (isTimeout(e)) {
                // OkHttp's call timeout cancels the call too; a cancellation by the harness has
                // already marked the request cancelled (cancelAll), which this fail cannot undo.
                ex.failTimeout(now, timeoutDetail(e, call.isCanceled(), streamed, ex.timeouts()));
            } else if (call.isCanceled()) {
                ex.timing().cancel(now);
            } else {
                ex.failIo(now, e, headers, isReset(e));
            }
        } catch (RuntimeException e) {
            ex.failClient(e);
        }
    }

    /** The client of a non-streamed request: its read timeout is the client's total timeout. */
    private OkHttpClient wholeClient(ClientTimeouts clientTimeouts) {
        return clientTimeouts.total().equals(timeouts.total())
                ? wholeHttp
                : http.newBuilder().readTimeout(clientTimeouts.total()).build();
    }

    private static void readStream(Exchange ex, Call call, BufferedSource body) throws IOException {
        // The body's reads are timed by the stall watch, not by Okio's per-read watchdog (see
        // StallWatch); OkHttp times the next exchange's headers on this connection again.
        body.timeout().clearTimeout();
        try (StallWatch.Watched watched = ex.watch(call::cancel, false)) {
            StreamHandler handler = ex.newStream(watched);
            BufferedSource source = Okio.buffer(new ForwardingSource(body) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n = super.read(sink, byteCount);
                    handler.onRead(System.nanoTime());
                    return n;
                }
            });
            boolean terminated;
            try {
                terminated = ex.newFrameReader().read(source, handler);
            } catch (IOException | RuntimeException e) {
                handler.countDeferredText();
                throw e;
            }
            handler.end(terminated, System.nanoTime());
        }
    }

    @Override
    public TransportKind kind() {
        return TransportKind.THREADS;
    }

    @Override
    public int connectionCount() {
        return http.connectionPool().connectionCount();
    }

    @Override
    public long connects() {
        return connects.sum();
    }

    /**
     * OkHttp opens a connection only for a call, and gives an idle one to the next call: so {@code
     * wanted} calls of {@code probe} are started, {@link Preopening#BATCH} at a time, and each one
     * holds its connection (in a network interceptor, before its request is written) until every
     * one has a connection of its own; then they all send the probe, read its answer and leave the
     * connection idle in the pool. Connections already idle are taken by the first calls and count.
     */
    @Override
    public Preopened preopen(Request probe, int wanted) throws InterruptedException {
        int before = connectionCount();
        if (wanted <= before) {
            return new Preopened(wanted, 0, 0, null);
        }
        CountDownLatch release = new CountDownLatch(1);
        long holdNanos = timeouts.connect().toNanos() * 2 + TimeUnit.SECONDS.toNanos(10);
        OkHttpClient holding = http.newBuilder()
                .addNetworkInterceptor(chain -> {
                    CompletableFuture<?> connected = chain.request().tag(CompletableFuture.class);
                    if (connected != null) {
                        connected.complete(null);
                        try {
                            release.await(holdNanos, TimeUnit.NANOSECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("pre-opening interrupted");
                        }
                    }
                    return chain.proceed(chain.request());
                })
                .build();
        ExecutorService calls = dev.llmharness.runtime.load.RequestThreads.newExecutor("llmh-preopen");
        Preopening pace = new Preopening();
        try {
            pace.run(wanted, timeouts.connect(), () -> {
                CompletableFuture<Void> connected = new CompletableFuture<>();
                Request r = probe.newBuilder()
                        .tag(CompletableFuture.class, connected)
                        .build();
                calls.execute(() -> {
                    try (Response response = holding.newCall(r).execute()) {
                        response.body().source().readAll(okio.Okio.blackhole());
                    } catch (IOException | RuntimeException e) {
                        connected.completeExceptionally(e); // a no-op once it had a connection
                    }
                });
                return connected;
            });
        } finally {
            release.countDown();
            calls.shutdown();
            if (!calls.awaitTermination(holdNanos, TimeUnit.NANOSECONDS)) {
                calls.shutdownNow();
            }
        }
        return pace.result(wanted, Math.max(0, connectionCount() - before));
    }

    /** The OkHttp client (for the other calls of a run that share its pool). */
    public OkHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        if (owned) {
            HttpClients.close(http);
        }
    }

    /**
     * Which timeout OkHttp's exception stands for, in the words of every transport ({@link
     * ClientTimeouts#connectExpired} and the others): a cancelled call is its call timeout, the
     * total one; a connect that timed out is the connect one; a read that timed out before the
     * headers is the first-token one on a stream (the socket's read timeout is the first-token
     * timeout there, {@link HttpClients}) and the total one for a whole answer (whose read timeout
     * is the total timeout). Once a stream's headers are in, the stall watch words its own.
     */
    static String timeoutDetail(IOException e, boolean cancelled, boolean streamed, ClientTimeouts timeouts) {
        if (cancelled) {
            return ClientTimeouts.totalExpired(timeouts.total());
        }
        // The JDK's socket says "Connect timed out" (OkHttp passes it on as it is); a read says
        // "Read timed out" or Okio's "timeout".
        String m = e.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("connect")) {
            return ClientTimeouts.connectExpired(timeouts.connect());
        }
        return streamed
                ? ClientTimeouts.firstTokenExpired(timeouts.firstToken())
                : ClientTimeouts.totalExpired(timeouts.total());
    }

    private static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException
                || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
    }

    /**
     * Whether the connection was reset or broken by the peer ({@code connection}), rather than
     * ended early ({@code stream_truncated}: an end of stream inside the body, which OkHttp reports
     * as an {@code EOFException} or a {@code ProtocolException}).
     */
    private static boolean isReset(IOException e) {
        return e instanceof java.net.SocketException || e instanceof okhttp3.internal.http2.StreamResetException;
    }

    private static String snippet(Response response) {
        try {
            String s = response.peekBody(512).string().strip();
            return s.isEmpty() ? response.message() : s;
        } catch (IOException e) {
            return response.message();
        }
    }
}
