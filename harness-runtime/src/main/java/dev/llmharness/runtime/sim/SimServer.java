package dev.llmharness.runtime.sim;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulated OpenAI-compatible LLM server, in process. Netty NIO: all connections share {@link
 * SimConfig#ioThreads()} event-loop threads (no thread per stream); an engine thread runs the
 * latency model ({@code llmh-sim-engine}, none for {@link SimConfig.Timing#IMMEDIATE}).
 *
 * <pre>{@code
 * try (SimServer sim = SimServer.start(SimConfig.preset("fixed-itl"))) {
 *     String url = sim.baseUrl(); // http://127.0.0.1:PORT
 *     ...
 *     List<GroundTruth> truth = sim.groundTruth(true);
 * }
 * }</pre>
 *
 * <p>Endpoints, wire format, latency model and faults: {@code docs/simulator.md}.
 */
public final class SimServer implements AutoCloseable {
    /** Prefix of the names of every thread the server starts. */
    public static final String THREAD_PREFIX = "llmh-sim";

    private final SimConfig config;
    private final SimContext context;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final String baseUrl;
    private final int port;
    private boolean closed;

    private SimServer(SimConfig config, SimContext context, EventLoopGroup group, Channel serverChannel) {
        this.config = config;
        this.context = context;
        this.group = group;
        this.serverChannel = serverChannel;
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        this.baseUrl = "http://" + host + ":" + port;
    }

    /**
     * Binds and starts a server; returns once it accepts connections.
     *
     * @throws SimException when the address cannot be bound (port in use, unknown host)
     */
    public static SimServer start(SimConfig config) {
        PromptTokens.warmUp();
        Engine engine = Engine.create(config);
        SimContext context = new SimContext(config, engine);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                config.ioThreads(), new DefaultThreadFactory(THREAD_PREFIX + "-io", true), NioIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            context.connections.add(ch);
                            context.accepted.incrementAndGet();
                            ch.closeFuture().addListener(f -> context.connections.remove(ch));
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new HttpServerCodec());
                            p.addLast(new HttpObjectAggregator(config.maxRequestBytes()));
                            p.addLast(new SimHttpHandler(context));
                        }
                    });
            Channel channel = bootstrap
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
            return new SimServer(config, context, group, channel);
        } catch (Exception e) { // Netty rethrows the checked BindException unchecked
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            engine.close();
            throw new SimException(
                    "the simulator could not listen on " + config.host() + ":" + config.port() + " (" + e
                            + "); choose another --port, or 0 for a free one",
                    e);
        }
    }

    /** {@code http://HOST:PORT}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Client connections accepted since the server started (open or closed since). */
    public long connectionsAccepted() {
        return context.accepted.get();
    }

    /** Client connections open now. */
    public int openConnections() {
        return context.connections.size();
    }

    /** The bound TCP port. */
    public int port() {
        return port;
    }

    public SimConfig config() {
        return config;
    }

    /**
     * The ground-truth records kept so far, oldest first (at most {@link
     * SimConfig#groundTruthCapacity()}); with {@code clear} they are removed from the server.
     */
    public List<GroundTruth> groundTruth(boolean clear) {
        return context.groundTruth.snapshot(clear);
    }

    /** Ground-truth records dropped because the log was full. */
    public long groundTruthDropped() {
        return context.groundTruth.dropped();
    }

    /**
     * Stops accepting, closes every connection, stops the engine and the event loops, and waits
     * until their threads have ended and the port is released. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().syncUninterruptibly();
        // Close the connections explicitly so that every client sees its stream end now.
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : context.connections) {
            closing.add(ch.close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        context.engine.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
