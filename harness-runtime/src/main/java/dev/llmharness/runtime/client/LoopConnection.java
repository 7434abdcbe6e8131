package dev.llmharness.runtime.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObject;

/**
 * One pooled connection's last handler: hands what the HTTP codec decodes to the connection's
 * current exchange. Loop thread only.
 */
final class LoopConnection extends SimpleChannelInboundHandler<HttpObject> {
    private Channel channel;
    private LoopConnectionPool.Route route;
    /** The exchange using the connection, or {@code null} while it is idle. */
    private StreamExchange current;

    void bind(Channel channel, LoopConnectionPool.Route route) {
        this.channel = channel;
        this.route = route;
    }

    Channel channel() {
        return channel;
    }

    LoopConnectionPool.Route route() {
        return route;
    }

    void attach(StreamExchange exchange) {
        current = exchange;
    }

    /** Ends the connection's use by {@code exchange} (a no-op if another has it). */
    void detach(StreamExchange exchange) {
        if (current == exchange) {
            current = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        StreamExchange x = current;
        if (x == null) {
            // Bytes on an idle connection: nobody asked for them, and the next request could not
            // tell them from its own answer.
            ctx.close();
            return;
        }
        x.onHttpObject(msg);
        // A send that fell due during this read goes out now, not after the rest of the loop's
        // batch of reads (Netty runs timers only after a whole batch).
        x.sendDue();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        StreamExchange x = current;
        current = null;
        if (x != null) {
            x.onClosed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        StreamExchange x = current;
        if (x != null) {
            x.onError(this, cause);
        }
        ctx.close();
    }
}
