package dev.llmharness.runtime.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.HttpUrl;

/**
 * The event loop's keep-alive HTTP/1.1 connections, pooled per route (scheme, host, port): one
 * request in flight per connection; a request takes the most recently released idle connection of
 * its route, or a new one is opened. Connections stay open until the server closes them or the
 * transport closes: nothing here evicts an idle one, so connections pre-opened before a load
 * ({@link #openIdle}) wait for its peak however long it comes after. Used on the loop thread only, except {@link #route}, {@link #address} and
 * {@link #connectionCount()}.
 */
final class LoopConnectionPool {
    /** Where a connection goes. */
    record Route(boolean https, String host, int port) {
        static Route of(HttpUrl url) {
            return new Route(url.isHttps(), url.host(), url.port());
        }
    }

    private final Bootstrap bootstrap;
    /** Idle connections by route, the most recently released last. Loop thread only. */
    private final Map<Route, ArrayDeque<LoopConnection>> idle = new HashMap<>();
    /** Resolved addresses, resolved once by a request thread so that DNS never blocks the loop. */
    private final Map<Route, InetSocketAddress> addresses = new ConcurrentHashMap<>();

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong connects = new AtomicLong();
    /** The certificates https connections trust; {@code null}: the JDK's default trust store. */
    private final TrustManagerFactory trust;

    private SslContext ssl; // loop thread only; made with the first https connection

    /** Copy buffer for a direct read's bytes before they are decoded: the loop thread is its only user. */
    private byte[] scratch = new byte[16 * 1024];

    LoopConnectionPool(Bootstrap bootstrap, TrustManagerFactory trust) {
        this.bootstrap = bootstrap;
        this.trust = trust;
    }

    /**
     * The route's address, resolved on the calling thread the first time (later lookups reuse it:
     * a benchmark's target does not move during a run); unresolved when the name is unknown.
     */
    InetSocketAddress address(Route route) {
        return addresses.computeIfAbsent(route, r -> new InetSocketAddress(r.host(), r.port()));
    }

    /** The most recently released open idle connection of the route, or {@code null}. */
    LoopConnection pollIdle(Route route) {
        ArrayDeque<LoopConnection> q = idle.get(route);
        if (q == null) {
            return null;
        }
        LoopConnection c;
        while ((c = q.pollLast()) != null) {
            if (c.channel().isActive()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Opens a new connection (TCP, and TLS for https: the handshake runs before the request is
     * written, as SslHandler holds writes until it is done).
     */
    ChannelFuture connect(Route route, InetSocketAddress address, LoopConnection connection) throws SSLException {
        SslContext context = route.https() ? sslContext() : null;
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (context != null) {
                    ch.pipeline().addLast(context.newHandler(ch.alloc(), route.host(), route.port()));
                }
                // No HTTP codec: the connection decodes its responses itself (Http1ResponseDecoder)
                // and its requests are written as bytes already encoded (Http1Request).
                ch.pipeline().addLast(connection);
            }
        });
        ChannelFuture f = b.connect(address);
        Channel ch = f.channel();
        connection.bind(ch, route);
        open.incrementAndGet();
        connects.incrementAndGet();
        ch.closeFuture().addListener(x -> {
            open.decrementAndGet();
            ArrayDeque<LoopConnection> q = idle.get(route);
            if (q != null) {
                q.remove(connection);
            }
        });
        return f;
    }

    /**
     * Opens a connection ahead of the load and leaves it idle in the pool (after the TLS handshake
     * for https, so that the request that takes it writes at once); {@code done} completes then, or
     * fails with the connect's or the handshake's cause. Loop thread only.
     */
    void openIdle(Route route, InetSocketAddress address, CompletableFuture<Void> done) {
        LoopConnection c = new LoopConnection(this);
        ChannelFuture f;
        try {
            f = connect(route, address, c);
        } catch (SSLException | RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        f.addListener(x -> {
            if (!x.isSuccess()) {
                done.completeExceptionally(x.cause());
                return;
            }
            SslHandler tls = f.channel().pipeline().get(SslHandler.class);
            if (tls == null) {
                release(c);
                done.complete(null);
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    release(c);
                    done.complete(null);
                } else {
                    f.channel().close();
                    done.completeExceptionally(h.cause());
                }
            });
        });
    }

    /** Puts a connection whose exchange has ended, body read to its end, back for reuse. */
    void release(LoopConnection connection) {
        if (connection.channel().isActive()) {
            idle.computeIfAbsent(connection.route(), r -> new ArrayDeque<>()).addLast(connection);
        }
    }

    /** Connections opened since the pool was made. */
    long connects() {
        return connects.get();
    }

    /** Connections open now, idle or in use. */
    int connectionCount() {
        return open.get();
    }

    /** A copy buffer of at least {@code n} bytes; loop thread only, valid until the next call. */
    byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    private SslContext sslContext() throws SSLException {
        if (ssl == null) {
            // The JDK's TLS and trust store, as OkHttp uses: https targets behave the same on both
            // transports; the host name is verified against the certificate.
            ssl = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trust)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        }
        return ssl;
    }
}
