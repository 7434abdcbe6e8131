package dev.llmharness.runtime.sim;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Capacity driver for the simulator (not a test): a one-thread Netty client that either runs a
 * closed loop of streaming chat requests ({@code loop}) or holds many long streams open at once
 * ({@code streams}), and prints what it measured.
 *
 * <pre>
 * java -cp CP dev.llmharness.runtime.sim.SimLoadDriver loop    URL CONNECTIONS TOKENS SECONDS
 * java -cp CP dev.llmharness.runtime.sim.SimLoadDriver streams URL STREAMS     TOKENS SECONDS
 * </pre>
 */
public final class SimLoadDriver {
    private final URI url;
    private final int tokens;
    private final boolean repeat;
    private final LongAdder requests = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder open = new LongAdder();
    /** Client-side gaps between token events, nanoseconds (touched by the one event-loop thread). */
    private final Histogram gaps = new Histogram(3_600_000_000_000L, 3);

    private volatile boolean recording;

    private SimLoadDriver(URI url, int tokens, boolean repeat) {
        this.url = url;
        this.tokens = tokens;
        this.repeat = repeat;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SimLoadDriver loop|streams URL CONNECTIONS TOKENS SECONDS");
            System.exit(2);
        }
        boolean loop = args[0].equals("loop");
        URI url = URI.create(args[1]);
        int connections = Integer.parseInt(args[2]);
        int tokens = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        new SimLoadDriver(url, tokens, loop).run(connections, seconds);
    }

    private FullHttpRequest request() {
        byte[] body = ("{\"model\":\"sim-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"Say something\"}],"
                        + "\"max_tokens\":" + tokens + ",\"ignore_eos\":true,\"stream\":true}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpRequest r = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions", Unpooled.wrappedBuffer(body));
        r.headers()
                .set(HttpHeaderNames.HOST, url.getHost() + ":" + url.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    private void run(int connections, int seconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new StreamCounter());
                        }
                    });
            List<Channel> channels = new ArrayList<>();
            long rampStart = System.nanoTime();
            java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(256);
            for (int i = 0; i < connections; i++) {
                connecting.acquire();
                io.netty.channel.ChannelFuture f = bootstrap.connect(url.getHost(), url.getPort());
                channels.add(f.channel());
                f.addListener(done -> {
                    connecting.release();
                    if (done.isSuccess()) {
                        f.channel().writeAndFlush(request());
                    } else {
                        errors.increment();
                    }
                });
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d connections opened in %.1f s%n",
                    connections,
                    (System.nanoTime() - rampStart) / 1e9);
            Thread.sleep(repeat ? 2000 : 3000); // warm-up / let every stream reach its pace
            long r0 = requests.sum();
            long e0 = events.sum();
            recording = true;
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long elapsed = System.nanoTime() - t0;
            recording = false;
            double secs = elapsed / 1e9;
            long r = requests.sum() - r0;
            long e = events.sum() - e0;
            System.out.printf(
                    Locale.ROOT,
                    "mode=%s connections=%d tokens/request=%d window=%.1fs%n",
                    repeat ? "loop" : "streams",
                    connections,
                    tokens,
                    secs);
            System.out.printf(
                    Locale.ROOT,
                    "completed requests/s=%.0f SSE events/s=%.0f content tokens/s=%.0f errors=%d open=%d%n",
                    r / secs,
                    e / secs,
                    (e - 2.0 * r) / secs,
                    errors.sum(),
                    open.sum());
            synchronized (gaps) {
                System.out.printf(
                        Locale.ROOT,
                        "client inter-token gap ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f (n=%d)%n",
                        gaps.getValueAtPercentile(50) / 1e6,
                        gaps.getValueAtPercentile(90) / 1e6,
                        gaps.getValueAtPercentile(99) / 1e6,
                        gaps.getValueAtPercentile(99.9) / 1e6,
                        gaps.getMaxValue() / 1e6,
                        gaps.getTotalCount());
            }
            for (Channel ch : channels) {
                ch.close();
            }
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    /** Counts SSE events (blank-line terminated) per response; sends the next request in loop mode. */
    private final class StreamCounter extends SimpleChannelInboundHandler<HttpObject> {
        private int lastByte;
        private long lastEventNanos;
        private int eventsInResponse;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.increment();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrement();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse response && response.status().code() != 200) {
                errors.increment();
            }
            if (msg instanceof HttpContent content) {
                ByteBuf buf = content.content();
                int count = 0;
                for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
                    int b = buf.getByte(i);
                    if (b == '\n' && lastByte == '\n') {
                        count++;
                    }
                    lastByte = b;
                }
                if (count > 0) {
                    long now = System.nanoTime();
                    if (eventsInResponse > 1 && recording) {
                        synchronized (gaps) {
                            gaps.recordValue(now - lastEventNanos);
                        }
                    }
                    lastEventNanos = now;
                    eventsInResponse += count;
                    events.add(count);
                }
                if (msg instanceof LastHttpContent) {
                    requests.increment();
                    eventsInResponse = 0;
                    lastByte = 0;
                    if (repeat) {
                        ctx.writeAndFlush(request());
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.increment();
            ctx.close();
        }
    }
}
