package dev.llmharness.runtime.client;

import dev.llmharness.runtime.load.TimerSlack;
import dev.llmharness.runtime.load.WakeStages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The event-loop transport: one Netty event loop thread sends every request at its intended
 * instant, reads every answer and ends every request. The caller builds the request (ahead of its
 * instant) and hands it over; then either the loop calls it back at the end ({@link #start}: the
 * open loop records the request on the loop thread, so that no thread of its own is woken per
 * request) or the caller parks until the loop wakes it once at the end ({@link #execute}). On one
 * core this replaces hundreds of threads woken per token with one thread that takes many sockets
 * per wake-up.
 *
 * <p>With native epoll (Linux x86-64) the loop sleeps in {@code epoll_wait} with a timerfd armed
 * for the next intended instant, to the microsecond; elsewhere it falls back to NIO, whose {@code
 * select} has a precision of about 1 ms, and says so once. Connections: keep-alive HTTP/1.1, pooled
 * per target, one request in flight on each ({@link LoopConnectionPool}); a new connection's
 * connect time counts after {@code sent}, as with OkHttp. https goes through Netty's SslHandler on
 * the JDK's TLS. The HTTP/1.1 framing is the transport's own ({@link Http1Request}, {@link
 * Http1ResponseDecoder}): Netty only moves the bytes.
 */
public final class EventLoopTransport implements ClientTransport {
    private static final AtomicBoolean NIO_NOTICE = new AtomicBoolean();

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final LoopConnectionPool pool;
    private final boolean epoll;
    private final ClientTimeouts timeouts;

    /** A transport with one loop thread; says once on stderr when it falls back to NIO. */
    public EventLoopTransport(ClientTimeouts timeouts) {
        this(timeouts, System.err);
    }

    EventLoopTransport(ClientTimeouts timeouts, PrintStream notices) {
        this(timeouts, notices, null);
    }

    /**
     * @param trust the certificates https connections trust, {@code null} for the JDK's default
     *     trust store (tests trust their own self-signed server this way)
     */
    EventLoopTransport(ClientTimeouts timeouts, PrintStream notices, TrustManagerFactory trust) {
        this.epoll = Epoll.isAvailable();
        this.timeouts = timeouts;
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, new LoopThreads(), io);
        this.loop = group.next();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()));
        this.pool = new LoopConnectionPool(bootstrap, trust);
        if (!epoll && NIO_NOTICE.compareAndSet(false, true)) {
            notices.println("event-loop transport: native epoll is not available here ("
                    + Epoll.unavailabilityCause() + "); using NIO, whose timers are precise to about 1 ms, so"
                    + " requests are sent up to about 1 ms after their intended instants");
        }
    }

    /** Whether the loop runs on native epoll (else NIO). */
    public boolean nativeEpoll() {
        return epoll;
    }

    /**
     * Runs one exchange and parks the calling thread until it has ended (the closed loop's workers,
     * and any caller that wants the answer on its own thread). An interrupt cancels the request.
     */
    @Override
    public void execute(Exchange ex) {
        Parked parked = new Parked(Thread.currentThread());
        start(ex, parked);
        parked.await(ex);
    }

    /** The loop ends every request by itself: {@link #start} never waits for the answer. */
    @Override
    public boolean completesAsynchronously() {
        return true;
    }

    /**
     * Encodes the request's bytes on the calling thread (ahead of the instant: the loop only
     * writes them) and hands the exchange to the loop, which sends it at its intended instant, reads it to
     * its end and then runs {@code ended} on the loop thread.
     */
    @Override
    public void start(Exchange ex, Runnable ended) {
        StreamExchange x;
        try {
            Request http = ex.request().http();
            Destination d = destination(http.url());
            x = new StreamExchange(
                    ex,
                    this,
                    d.route(),
                    d.address(),
                    Http1Request.encode(http, ex.request().body(), d),
                    ended);
        } catch (RuntimeException e) {
            ex.failClient(e);
            ended.run();
            return;
        }
        ex.onCancel(x::cancel);
        if (loop.inEventLoop()) {
            hold(x);
            return;
        }
        try {
            loop.execute(() -> hold(x));
        } catch (RejectedExecutionException e) {
            ex.failClient(new IllegalStateException("the event-loop transport is closed", e));
            x.runEnded();
        }
    }

    /** The loop itself: the open loop walks its schedule and builds its requests here. */
    @Override
    public ScheduledExecutorService sendingLoop() {
        return loop;
    }

    // The requests handed over before their instant, and the loop's alarm for the earliest: loop
    // thread only. One queue of our own rather than a Netty scheduled task per request, because
    // Netty runs its tasks only after a whole batch of reads: the reads check the queue's head
    // between one another ({@link #sendDue}), so that a due send waits for one read, not a batch.
    private final PriorityQueue<StreamExchange> waiting =
            new PriorityQueue<>((a, b) -> Long.signum(a.intended() - b.intended()));
    private ScheduledFuture<?> alarm;
    private long alarmAt;

    /** Sends {@code x} now if its instant has come, else queues it for its instant (loop thread). */
    private void hold(StreamExchange x) {
        sendDue(); // the requests due before this one go first
        if (x.intended() - System.nanoTime() <= 0) {
            x.start();
            return;
        }
        waiting.add(x);
        if (waiting.peek() == x) {
            arm(x.intended());
        }
    }

    /**
     * Sends every queued request whose instant has come, earliest first (loop thread): run by the
     * alarm, before each hand-over, and after each socket read of a connection, so that a send falls due
     * between two reads of a batch rather than after all of them. Costs a clock read when nothing is
     * due.
     */
    void sendDue() {
        StreamExchange head;
        while ((head = waiting.peek()) != null && head.intended() - System.nanoTime() <= 0) {
            waiting.poll();
            head.start();
        }
    }

    /**
     * Arms the loop's timer (timerfd on epoll, to the microsecond) for {@code instant}, unless an
     * earlier alarm is armed. A distant instant is reached in stages ({@link WakeStages}): the alarm
     * first fires a little before it and arms again, because a loop idle until the instant itself
     * wakes late on a virtual machine.
     */
    private void arm(long instant) {
        long now = System.nanoTime();
        long at = WakeStages.wakeAt(instant, now);
        if (alarm != null) {
            if (alarmAt - at <= 0) {
                return; // fires first, sends what is due and arms for the head then
            }
            alarm.cancel(false);
        }
        alarmAt = at;
        alarm = loop.schedule(this::alarmFired, at - now, TimeUnit.NANOSECONDS);
    }

    private void alarmFired() {
        alarm = null;
        sendDue();
        StreamExchange head = waiting.peek();
        if (head != null) {
            arm(head.intended());
        }
    }

    /**
     * A caller parked in {@link #execute} until its exchange ends: the loop's end of the request
     * sets {@code done} and unparks it, the one wake-up of the caller per request.
     */
    private static final class Parked implements Runnable {
        private final Thread waiter;
        private volatile boolean done;

        Parked(Thread waiter) {
            this.waiter = waiter;
        }

        @Override
        public void run() {
            done = true;
            LockSupport.unpark(waiter);
        }

        /** Parks until {@link #run()}; an interrupt cancels the request (and is kept for the caller). */
        void await(Exchange ex) {
            boolean interrupted = false;
            while (!done) {
                LockSupport.park(this);
                if (Thread.interrupted() && !interrupted) {
                    interrupted = true;
                    ex.cancel(System.nanoTime());
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Where the requests of one URL go, worked out once: the route, its resolved address, the
     * request target and the {@code Host} header. A client sends every request to the same URL.
     *
     * @param url the request URL
     * @param route the connection pool's route
     * @param address the route's address ({@link LoopConnectionPool#address})
     * @param requestTarget the path and query, as written in the request line
     * @param host the {@code Host} header's value
     */
    record Destination(
            HttpUrl url,
            LoopConnectionPool.Route route,
            InetSocketAddress address,
            String requestTarget,
            String host) {}

    /** The destination of the last request's URL: recomputed only when a request has another URL. */
    private volatile Destination last;

    /** The destination of {@code url}; any thread. */
    Destination destination(HttpUrl url) {
        Destination d = last;
        if (d == null || !d.url().equals(url)) {
            LoopConnectionPool.Route route = LoopConnectionPool.Route.of(url);
            boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
            d = new Destination(
                    url,
                    route,
                    pool.address(route),
                    url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery()),
                    defaultPort ? url.host() : url.host() + ":" + url.port());
            last = d;
        }
        return d;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.EVENT_LOOP;
    }

    @Override
    public int connectionCount() {
        return pool.connectionCount();
    }

    @Override
    public long connects() {
        return pool.connects();
    }

    /** Opens bare connections (no request is sent), {@link Preopening#BATCH} at a time. */
    @Override
    public Preopened preopen(Request probe, int wanted) throws InterruptedException {
        LoopConnectionPool.Route route = LoopConnectionPool.Route.of(probe.url());
        java.net.InetSocketAddress address = pool.address(route);
        int before = connectionCount();
        Preopening pace = new Preopening();
        pace.run(wanted - before, timeouts.connect(), () -> {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> pool.openIdle(route, address, done));
            return done;
        });
        return pace.result(wanted, Math.max(0, connectionCount() - before));
    }

    /** Stops the loop and closes its connections; requests still running end as failed or cancelled. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    EventLoop loop() {
        return loop;
    }

    LoopConnectionPool pool() {
        return pool;
    }

    /** The last {@code Content-Type} header parsed, and what it parsed to; loop thread only. */
    private String lastTypeHeader;

    private okhttp3.MediaType lastType;

    /**
     * {@code MediaType.parse(header)}, remembered for the last header: a server answers every
     * request with the same header, and OkHttp parses one with regular expressions, a few
     * microseconds per response on the loop. Loop thread only.
     */
    okhttp3.MediaType mediaType(String header) {
        if (header == null) {
            return null;
        }
        if (!header.equals(lastTypeHeader)) {
            lastType = okhttp3.MediaType.parse(header);
            lastTypeHeader = header;
        }
        return lastType;
    }

    /**
     * The loop's thread: a daemon (a forgotten transport must not keep the JVM alive), with a
     * narrow timer slack so that its timerfd wake-ups are not batched up to 50 µs late.
     */
    private static final class LoopThreads extends DefaultThreadFactory {
        LoopThreads() {
            super("llmh-loop", true);
        }

        @Override
        protected Thread newThread(Runnable r, String name) {
            return super.newThread(
                    () -> {
                        TimerSlack.narrow();
                        r.run();
                    },
                    name);
        }
    }
}
