package dev.llmharness.runtime.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
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
    /** The request's bytes, encoded on the request's thread ({@link Http1Request}); written as they are. */
    private final byte[] request;

    /** Runs once at the end: wakes a parked caller, or records the request on the loop thread. */
    private final Runnable ended;

    private final AtomicBoolean endedRun = new AtomicBoolean();

    // Loop thread only from here on.
    private boolean finished;
    private LoopConnection connection;
    private boolean reused;
    private boolean retried;
    private State state = State.WAITING;
    private ResponseHead response;
    private StallWatch.Watched watched;
    private ScheduledFuture<?> totalTimer;
    private StreamHandler handler;
    private dev.llmharness.runtime.protocol.FrameReader reader;
    private ByteArrayOutputStream body;
    /** Bounds a drain ({@link #DRAIN_BOUND_MILLIS}); armed after the read that began it, if still draining. */
    private ScheduledFuture<?> drainTimer;

    StreamExchange(
            Exchange ex,
            EventLoopTransport transport,
            LoopConnectionPool.Route route,
            InetSocketAddress address,
            byte[] request,
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
        LoopConnection c = new LoopConnection(transport.pool());
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
        // Wrapped afresh per write: a retry writes the same bytes again on its new connection.
        c.channel().writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(f -> {
            if (!f.isSuccess()) {
                onError(c, f.cause());
            }
        });
    }

    /**
     * A socket read of the connection returned (before its bytes are decoded): once content flows,
     * each read restarts the stream's idle timeout. One clock read per read, not per chunk.
     */
    void onSocketRead() {
        if (state == State.STREAM) {
            handler.onRead(System.nanoTime());
        }
    }

    /**
     * A socket read's bytes have been decoded: bounds a refused answer's body or a drain that the
     * read did not end, then sends the transport's requests whose instant has come ({@link
     * EventLoopTransport#sendDue}), as Netty runs timers only after its whole batch of reads;
     * unless {@link #onBody} has just done so, as the read's last part was a run of the body (at
     * a 20 ms ITL every read: one token's chunk), when a second check would only cost another
     * clock read.
     *
     * @param sendDue whether to send what is due: false right after {@link #onBody}'s check
     */
    void afterRead(boolean sendDue) {
        if (!finished) {
            if (state == State.REFUSED && body.size() >= SNIPPET_BYTES) {
                // An error body longer than its snippet, whose end was not in this read: the
                // snippet is all the failure keeps, and the rest may never end.
                failRefused();
                closeConnection();
                finish();
            } else if (state == State.DRAIN && drainTimer == null) {
                drainTimer = loop.schedule(this::drainTimedOut, DRAIN_BOUND_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        if (sendDue) {
            transport.sendDue();
        }
    }

    /** The response's status line and headers ({@link ResponseSink#onHead}). */
    void onHead(ResponseHead r) {
        if (finished) {
            return;
        }
        try {
            onResponse(r);
        } catch (RuntimeException e) {
            failClient(e);
        }
    }

    /** Bytes of the response's body, unframed ({@link ResponseSink#onBody}). */
    void onBody(byte[] bytes, int offset, int length) {
        if (!finished) {
            try {
                switch (state) {
                    case STREAM -> {
                        if (!reader.feed(bytes, offset, length, handler)) {
                            // A terminator: the answer has ended, whatever of its body is left.
                            handler.end(true, System.nanoTime());
                            endThenDrain();
                        }
                    }
                    case WHOLE -> body.write(bytes, offset, length);
                    case REFUSED -> body.write(bytes, offset, Math.min(length, SNIPPET_BYTES - body.size()));
                    default -> {
                        // DRAIN: dropped. WAITING: cannot be, the decoder hands the head on first.
                    }
                }
            } catch (IOException | RuntimeException e) {
                failClient(e);
            }
        }
        // A send that fell due while this run of the body was handled goes out now, not after the
        // whole read: at ITL 0 one read holds most of an answer's 128 events (each a chunk, so a
        // run here), and with the check once per read the dispatch lag p99 at 800 requests/s rose
        // from 0.15 to 0.26 ms on one core (docs/performance.md). The check costs one clock read.
        transport.sendDue();
    }

    /** The response's body has ended ({@link ResponseSink#onEnd}): the connection may be reused. */
    void onEnd() {
        if (finished) {
            return;
        }
        try {
            switch (state) {
                case STREAM -> {
                    boolean terminated = reader.finish(handler);
                    handler.end(terminated, System.nanoTime());
                }
                case WHOLE -> {
                    long end = System.nanoTime();
                    Http1ResponseDecoder headers = connection.decoder();
                    ex.readWhole(body.toByteArray(), end, headers::header);
                }
                case REFUSED -> failRefused();
                default -> {
                    // DRAIN: the outcome is set, the rest of the body dropped.
                }
            }
        } catch (IOException | RuntimeException e) {
            failClient(e);
            return;
        }
        reuse();
        finish();
    }

    /** A bug or bad setting of the harness's own while reading the answer: fails it and drops the connection. */
    private void failClient(Exception e) {
        if (handler != null) {
            handler.countDeferredText();
        }
        ex.failClient(e);
        closeConnection();
        finish();
    }

    private void onResponse(ResponseHead r) {
        response = r;
        int status = r.status();
        if (!ex.onStatus(status)) {
            state = State.REFUSED;
            body = new ByteArrayOutputStream();
            return;
        }
        MediaType type = transport.mediaType(r.contentType());
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

    /** Fails a refused request with its status and the start of its body (or the reason phrase). */
    private void failRefused() {
        String s = body.toString(StandardCharsets.UTF_8).strip();
        ex.failStatus(response.status(), s.isEmpty() ? response.reason() : s);
    }

    /** The request has its outcome, but its body goes on: drop the rest, then reuse the connection. */
    private void endThenDrain() {
        state = State.DRAIN;
        // The answer has ended (its end is stamped), but the body's last chunk may still be on its
        // way: wake the request only once the connection is back in the pool, or after a short
        // bound, as OkHttp discards an unread body for up to 100 ms before it drops the connection.
        // Waking at once let a back-to-back request find no idle connection and open a new one.
        // The bound is armed after this read (afterRead), and only if the read did not hold the
        // body's end: most streams' terminator and end come in one read, and need no timer.
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
        if (response != null && response.reusable()) {
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
        if (drainTimer != null) {
            drainTimer.cancel(false);
        }
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
