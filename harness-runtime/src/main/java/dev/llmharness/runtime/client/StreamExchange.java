package dev.llmharness.runtime.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;

/**
 * One request on the event loop, from its intended instant to its end: takes a pooled connection
 * or opens one, writes the request, reads the answer, and feeds a stream's bytes to the shared
 * {@link StreamHandler}. Every method but {@link #cancel()} and {@link #runEnded()} runs on
 * the loop thread. At the end the loop runs the request's {@code ended} callback, exactly once.
 */
final class StreamExchange {
    /** Bytes of a refused request's body kept for its failure message (as OkHttp's peek). */
    private static final int SNIPPET_BYTES = 512;

    private enum State {
        /** Before the headers. */
        WAITING,
        /** A stream's events. */
        STREAM,
        /** A non-streamed answer's body. */
        WHOLE,
        /** The body of a refused request (non-2xx). */
        REFUSED,
        /** The request has ended; the rest of the body is read and dropped, then the connection is reused. */
        DRAIN
    }

    private final Exchange ex;
    private final EventLoopTransport transport;
    private final EventLoop loop;
    private final LoopConnectionPool.Route route;
    private final InetSocketAddress address;
    /** The request, built on the request's thread; each write sends a duplicate. */
    private final FullHttpRequest request;

    /** Runs once at the end: wakes a parked caller, or records the request on the loop thread. */
    private final Runnable ended;

    private final AtomicBoolean endedRun = new AtomicBoolean();

    // Loop thread only from here on.
    private boolean finished;
    private LoopConnection connection;
    private boolean reused;
    private boolean retried;
    private State state = State.WAITING;
    private HttpResponse response;
    private StallWatch.Watched watched;
    private ScheduledFuture<?> totalTimer;
    private StreamHandler handler;
    private dev.llmharness.runtime.protocol.FrameReader reader;
    private ByteArrayOutputStream body;

    StreamExchange(
            Exchange ex,
            EventLoopTransport transport,
            LoopConnectionPool.Route route,
            InetSocketAddress address,
            FullHttpRequest request,
            Runnable ended) {
        this.ex = ex;
        this.ended = ended;
        this.transport = transport;
        this.loop = transport.loop();
        this.route = route;
        this.address = address;
        this.request = request;
    }

    /** Aborts the transfer (any thread): the outcome is already set by whoever cancels. */
    void cancel() {
        try {
            loop.execute(this::abort);
        } catch (RejectedExecutionException e) {
            runEnded(); // the loop has ended: nothing left to abort
        }
    }

    /** The intended instant, {@code nanoTime}. */
    long intended() {
        return ex.intendedStart();
    }

    /** At the intended instant: stamps {@code sent} and takes a connection. */
    void start() {
        if (finished) {
            return;
        }
        if (ex.ended()) {
            finish(); // cancelled before its instant: never sent
            return;
        }
        ex.markSent(System.nanoTime());
        if (ex.request().streamed()) {
            watched = ex.watch(this::cancel, true);
        } else {
            // A whole answer comes at once at the end: only the total timeout applies.
            long total = ex.timeouts().total().toNanos();
            totalTimer = loop.schedule(
                    () -> {
                        ex.failTimeout(
                                System.nanoTime(),
                                ClientTimeouts.totalExpired(ex.timeouts().total()));
                        abort();
                    },
                    total,
                    TimeUnit.NANOSECONDS);
        }
        if (address.isUnresolved()) {
            ex.failIo(System.nanoTime(), new UnknownHostException(route.host()), false, false);
            finish();
            return;
        }
        LoopConnection idle = transport.pool().pollIdle(route);
        if (idle != null) {
            reused = true;
            use(idle);
        } else {
            open();
        }
    }

    private void open() {
        reused = false;
        LoopConnection c = new LoopConnection();
        ChannelFuture f;
        try {
            f = transport.pool().connect(route, address, c);
        } catch (IOException | RuntimeException e) {
            ex.failIo(System.nanoTime(), e, false, false);
            finish();
            return;
        }
        f.addListener(x -> {
            if (finished) {
                f.channel().close(); // ended (cancelled, timed out) while connecting
            } else if (x.isSuccess()) {
                use(c);
            } else {
                Throwable cause = x.cause();
                if (cause instanceof ConnectTimeoutException) {
                    ex.failTimeout(
                            System.nanoTime(),
                            ClientTimeouts.connectExpired(ex.timeouts().connect()));
                } else {
                    ex.failIo(System.nanoTime(), cause, false, false);
                }
                finish();
            }
        });
    }

    private void use(LoopConnection c) {
        connection = c;
        c.attach(this);
        c.channel().writeAndFlush(request.retainedDuplicate()).addListener(f -> {
            if (!f.isSuccess()) {
                onError(c, f.cause());
            }
        });
    }

    /** Sends the transport's requests whose instant has come ({@link EventLoopTransport#sendDue}). */
    void sendDue() {
        transport.sendDue();
    }

    /** What the HTTP codec decoded from the connection. */
    void onHttpObject(HttpObject msg) {
        try {
            if (msg.decoderResult().isFailure()) {
                onError(connection, msg.decoderResult().cause());
                return;
            }
            if (msg instanceof HttpResponse r) {
                onResponse(r);
            }
            if (msg instanceof HttpContent c && !finished) {
                onContent(c);
            } else if (msg instanceof LastHttpContent && state == State.DRAIN) {
                reuse();
            }
        } catch (IOException | RuntimeException e) {
            if (handler != null) {
                handler.countDeferredText();
            }
            ex.failClient(e);
            closeConnection();
            finish();
        }
    }

    private void onResponse(HttpResponse r) {
        if (finished) {
            state = State.DRAIN;
            return;
        }
        response = r;
        int status = r.status().code();
        if (!ex.onStatus(status)) {
            state = State.REFUSED;
            body = new ByteArrayOutputStream();
            return;
        }
        String typeHeader = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
        MediaType type = transport.mediaType(typeHeader);
        if (ex.request().streamed()) {
            if (ex.acceptsStream(type)) {
                state = State.STREAM;
                handler = ex.newStream(watched);
                reader = ex.newFrameReader();
            } else {
                endThenDrain();
            }
        } else if (ex.acceptsWhole(type)) {
            state = State.WHOLE;
            body = new ByteArrayOutputStream();
        } else {
            endThenDrain();
        }
    }

    private void onContent(HttpContent c) throws IOException {
        ByteBuf buf = c.content();
        int n = buf.readableBytes();
        boolean last = c instanceof LastHttpContent;
        switch (state) {
            case STREAM -> {
                handler.onRead(System.nanoTime());
                if (n > 0) {
                    byte[] bytes = transport.scratch(n);
                    buf.getBytes(buf.readerIndex(), bytes, 0, n);
                    if (!reader.feed(bytes, 0, n, handler)) {
                        handler.end(true, System.nanoTime());
                        if (last) {
                            reuse();
                            finish();
                        } else {
                            endThenDrain();
                        }
                        return;
                    }
                }
                if (last) {
                    boolean terminated = reader.finish(handler);
                    handler.end(terminated, System.nanoTime());
                    reuse();
                    finish();
                }
            }
            case WHOLE -> {
                buf.readBytes(body, n);
                if (last) {
                    long end = System.nanoTime();
                    ex.readWhole(
                            body.toByteArray(), end, name -> response.headers().get(name));
                    reuse();
                    finish();
                }
            }
            case REFUSED -> {
                buf.readBytes(body, Math.min(n, SNIPPET_BYTES - body.size()));
                if (last || body.size() >= SNIPPET_BYTES) {
                    String s = body.toString(StandardCharsets.UTF_8).strip();
                    ex.failStatus(
                            response.status().code(),
                            s.isEmpty() ? response.status().reasonPhrase() : s);
                    if (last) {
                        reuse();
                    } else {
                        closeConnection(); // an endless error body: do not wait for its end
                    }
                    finish();
                }
            }
            case DRAIN -> {
                if (last) {
                    reuse();
                    finish();
                }
            }
            case WAITING -> {
                // Content before a response cannot come from the codec.
            }
        }
    }

    /** The request has its outcome, but its body goes on: drop the rest, then reuse the connection. */
    private void endThenDrain() {
        state = State.DRAIN;
        // The answer has ended (its end is stamped), but the body's last chunk may still be on its
        // way: wake the request only once the connection is back in the pool, or after a short
        // bound, as OkHttp discards an unread body for up to 100 ms before it drops the connection.
        // Waking at once let a back-to-back request find no idle connection and open a new one.
        transport.loop().schedule(this::drainTimedOut, DRAIN_BOUND_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How long a body may take to reach its end after the answer's end before its connection is dropped. */
    static final long DRAIN_BOUND_MILLIS = 100;

    private void drainTimedOut() {
        if (!finished && state == State.DRAIN) {
            closeConnection();
            finish();
        }
    }

    /** The connection closed while this exchange had it. */
    void onClosed(LoopConnection c) {
        if (finished || c != connection) {
            return;
        }
        if (state == State.DRAIN) { // the answer was complete: only the connection is lost
            closeConnection();
            finish();
            return;
        }
        boolean headers = state != State.WAITING;
        onError(
                c,
                new IOException(
                        headers
                                ? "the server closed the connection inside the body"
                                : "the server closed the connection before answering"));
    }

    /** The connection failed while this exchange had it. */
    void onError(LoopConnection c, Throwable cause) {
        if (finished || c != connection) {
            return;
        }
        if (state == State.DRAIN) { // the answer was complete: only the connection is lost
            closeConnection();
            finish();
            return;
        }
        c.detach(this);
        connection = null;
        boolean headers = state != State.WAITING;
        if (!headers && reused && !retried) {
            // A pooled connection the server closed while it was idle (llama.cpp keeps them 5 s):
            // nothing was answered, so the request goes again on a new connection, as OkHttp does.
            retried = true;
            c.channel().close();
            open();
            return;
        }
        if (handler != null) {
            handler.countDeferredText();
        }
        ex.failIo(System.nanoTime(), cause, headers, isReset(cause));
        c.channel().close();
        finish();
    }

    /** Cancelled or timed out (the outcome is set): closes the connection and ends. */
    private void abort() {
        if (finished) {
            return;
        }
        if (ex.timing().outcome() == null) {
            ex.timing().cancel(System.nanoTime());
        }
        if (handler != null) {
            handler.countDeferredText();
        }
        closeConnection();
        finish();
    }

    private void closeConnection() {
        if (connection != null) {
            connection.detach(this);
            connection.channel().close();
            connection = null;
        }
    }

    /** The body has been read to its end: the connection goes back to the pool if it may be reused. */
    private void reuse() {
        LoopConnection c = connection;
        if (c == null) {
            return;
        }
        c.detach(this);
        connection = null;
        if (response != null && HttpUtil.isKeepAlive(response)) {
            transport.pool().release(c);
        } else {
            c.channel().close();
        }
    }

    /** The request has ended (its outcome is set): runs its {@code ended} callback. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (watched != null) {
            watched.close();
        }
        if (totalTimer != null) {
            totalTimer.cancel(false);
        }
        request.release();
        runEnded();
    }

    /**
     * Runs {@code ended} unless it has run: the loop's {@link #finish()}, or any thread once the
     * loop has stopped (or refused the request), when nothing else will.
     */
    void runEnded() {
        if (endedRun.compareAndSet(false, true)) {
            ended.run();
        }
    }

    /**
     * Whether the peer reset or broke the connection ({@code connection}), rather than ended the
     * body early ({@code stream_truncated}). Native epoll reports errno texts, NIO SocketExceptions.
     */
    private static boolean isReset(Throwable e) {
        if (e instanceof SocketException) {
            return true;
        }
        String m = e.getMessage();
        return m != null && (m.contains("Connection reset") || m.contains("Broken pipe"));
    }
}
