package dev.llmharness.runtime.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.ProtocolException;

/**
 * One pooled connection's last handler: decodes the bytes it reads ({@link Http1ResponseDecoder},
 * after the SslHandler for https) and hands the response to the connection's current exchange.
 * Loop thread only.
 */
final class LoopConnection extends ChannelInboundHandlerAdapter implements ResponseSink {
    private final Http1ResponseDecoder decoder = new Http1ResponseDecoder();
    private final LoopConnectionPool pool;
    private Channel channel;
    private LoopConnectionPool.Route route;
    /** The exchange using the connection, or {@code null} while it is idle. */
    private StreamExchange current;
    /**
     * Whether what the decoder handed on last in the read being decoded was a run of the body,
     * after which the exchange has sent what fell due ({@link StreamExchange#onBody}): the read
     * then needs no check of its own ({@link StreamExchange#afterRead}).
     */
    private boolean dueChecked;

    LoopConnection(LoopConnectionPool pool) {
        this.pool = pool;
    }

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

    /** The connection's decoder: its {@link Http1ResponseDecoder#header} of the response being read. */
    Http1ResponseDecoder decoder() {
        return decoder;
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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg); // nothing before this handler makes other messages
            return;
        }
        StreamExchange x = current;
        try {
            if (x == null) {
                // Bytes on an idle connection: nobody asked for them, and the next request could
                // not tell them from its own answer.
                ctx.close();
                return;
            }
            x.onSocketRead();
            dueChecked = false;
            int n = in.readableBytes();
            byte[] bytes;
            int at;
            if (in.hasArray()) { // heap buffers (NIO, TLS): read in place
                bytes = in.array();
                at = in.arrayOffset() + in.readerIndex();
            } else { // epoll's direct buffers: one copy, as the protocol's readers take arrays
                bytes = pool.scratch(n);
                at = 0;
                in.getBytes(in.readerIndex(), bytes, 0, n);
            }
            // Only while x has the connection: once its answer has ended, the connection may
            // already carry another exchange's request (ended callbacks send), and bytes left
            // over cannot be that request's answer.
            while (n > 0 && current == x) {
                int used = decoder.decode(bytes, at, n, this);
                at += used;
                n -= used;
            }
            if (n > 0) {
                ctx.close(); // more than the answer: the connection cannot be trusted further
            }
        } catch (ProtocolException e) {
            dueChecked = false;
            StreamExchange failed = current;
            if (failed != null) {
                failed.onError(this, e);
            }
            ctx.close();
        } finally {
            in.release();
            if (x != null) {
                x.afterRead(!dueChecked);
            }
        }
    }

    @Override
    public void onHead(ResponseHead head) {
        dueChecked = false;
        StreamExchange x = current;
        if (x != null) {
            x.onHead(head);
        }
    }

    @Override
    public void onBody(byte[] bytes, int offset, int length) {
        StreamExchange x = current;
        if (x != null) {
            x.onBody(bytes, offset, length);
            dueChecked = true;
        }
    }

    @Override
    public void onEnd() {
        dueChecked = false;
        StreamExchange x = current;
        if (x != null) {
            x.onEnd();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A body read until the close ends here, and completes its exchange; any other close
        // while an exchange has the connection cuts its answer short.
        decoder.closed(this);
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
