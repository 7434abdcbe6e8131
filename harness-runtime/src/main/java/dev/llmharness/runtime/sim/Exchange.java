package dev.llmharness.runtime.sim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One generation request and its response on one connection: writes the SSE chunks (or the JSON
 * body) as the engine produces tokens, applies the request's fault, and records the ground truth.
 * Runs on the connection's event loop only.
 */
final class Exchange implements TokenListener {

    private final SimContext sim;
    private final ChannelHandlerContext ctx;
    private final GenerationRequest request;
    private final Fault fault;
    private final String requestId;
    private final boolean keepAlive;
    private final long receivedNanos;
    private final Runnable onDone;
    private final String responseId;
    private final SimWire wire;
    private final TextModel text;
    private final Sequence sequence;
    /** The figures of the non-streamed body being sent, for its headers (TGI's timings). */
    private SimWire.Summary bodySummary;
    /** Token times, grown as tokens come so that long idle streams hold little memory. */
    private long[] tokenNanos;

    private final StringBuilder content;

    private int written;
    private int produced;
    private boolean engineDone;
    private boolean faultStruck;
    private boolean stalled;
    private boolean started;
    private boolean finished;

    Exchange(
            SimContext sim,
            ChannelHandlerContext ctx,
            GenerationRequest request,
            Fault fault,
            String requestId,
            boolean keepAlive,
            long receivedNanos,
            Runnable onDone) {
        this.sim = sim;
        this.ctx = ctx;
        this.request = request;
        this.fault = fault;
        this.requestId = requestId;
        this.keepAlive = keepAlive && !(fault != null && closesConnection(fault.kind()));
        this.receivedNanos = receivedNanos;
        this.onDone = onDone;
        this.responseId = sim.nextResponseId(request.chat());
        this.wire = SimWire.of(sim, request, responseId);
        this.text = new TextModel(request.textSeed());
        this.sequence = new Sequence(request.promptTokens(), request.outputTokens(), this);
        this.tokenNanos = new long[Math.min(request.outputTokens(), 32)];
        this.content = request.stream() ? null : new StringBuilder(request.outputTokens() * 6);
    }

    private static boolean closesConnection(FaultKind kind) {
        return kind == FaultKind.RESET || kind == FaultKind.TRUNCATE || kind == FaultKind.NO_DONE;
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    /** Sends the response headers (streaming) and hands the request to the engine. */
    void start() {
        if (finished) {
            return;
        }
        started = true;
        if (request.stream()) {
            HttpResponse headers = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            headers.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, wire.contentType())
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                    .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            if (requestId != null) {
                headers.headers().set("X-Request-Id", requestId);
            }
            ctx.write(headers);
            byte[] opening = wire.opening();
            if (opening != null) {
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(opening)));
            }
            ctx.flush();
        }
        sim.metrics.promptTokens.add(request.promptTokens());
        sim.engine.submit(sequence);
    }

    @Override
    public void onTokens(int produced, boolean last) {
        if (finished) {
            return;
        }
        this.produced = produced;
        this.engineDone = last;
        if (request.stream()) {
            pumpStream();
        } else {
            collect();
        }
    }

    /** The client went away (or the server is closing) before the response was complete. */
    void connectionClosed() {
        if (finished) {
            return;
        }
        finished = true;
        sim.engine.cancel(sequence);
        record(request.stream() && started ? 200 : 0, "client_closed", null);
    }

    private void pumpStream() {
        if (finished || stalled) {
            return;
        }
        int from = written;
        while (true) {
            // A fault strikes before token after+1, or after the last token when there are fewer.
            if (!faultStruck
                    && midStream()
                    && written == Math.min(fault.after(), request.outputTokens())
                    && (written < produced || engineDone)) {
                faultStruck = true;
                sim.metrics.fault(fault.kind());
                switch (fault.kind()) {
                    case STALL -> {
                        stalled = true;
                        flushTokens(from);
                        ctx.executor().schedule(this::resume, fault.millis(), TimeUnit.MILLISECONDS);
                        return;
                    }
                    case MALFORMED -> ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(wire.malformedEvent())));
                    case EMPTY_EVENT -> ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(wire.emptyEvent())));
                    case RESET -> {
                        flushTokens(from);
                        reset();
                        return;
                    }
                    case TRUNCATE -> {
                        flushTokens(from);
                        truncate();
                        return;
                    }
                    default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
                }
            }
            if (written >= produced) {
                break;
            }
            writeChunk();
        }
        flushTokens(from);
        if (engineDone && written == produced) {
            completeStream();
        }
    }

    private void resume() {
        stalled = false;
        pumpStream();
    }

    private boolean midStream() {
        if (fault == null) {
            return false;
        }
        FaultKind kind = fault.kind();
        return kind == FaultKind.STALL
                || kind == FaultKind.MALFORMED
                || kind == FaultKind.RESET
                || kind == FaultKind.TRUNCATE
                || kind == FaultKind.EMPTY_EVENT;
    }

    private void writeChunk() {
        byte[] piece = text.next();
        written++;
        ByteBuf buf = ctx.alloc().buffer(wire.tokenSize(piece.length));
        wire.token(buf, piece, written, written == request.outputTokens());
        ctx.write(new DefaultHttpContent(buf));
    }

    /**
     * Flushes the chunks of tokens {@code from+1..written}, stamping them with the time just before
     * the flush (which makes the write system call): a client can never read a token before its
     * stamp, and the stamp is late by no more than the time to build the chunks.
     */
    private void flushTokens(int from) {
        long now = System.nanoTime();
        ctx.flush();
        if (written == from) {
            return;
        }
        ensureTokenCapacity();
        for (int i = from; i < written; i++) {
            tokenNanos[i] = now;
        }
        sim.metrics.generationTokens.add(written - from);
    }

    private void ensureTokenCapacity() {
        if (written > tokenNanos.length) {
            tokenNanos = java.util.Arrays.copyOf(
                    tokenNanos, Math.min(request.outputTokens(), Math.max(written, tokenNanos.length * 2)));
        }
    }

    private void completeStream() {
        finished = true;
        boolean terminator = fault == null || fault.kind() != FaultKind.NO_DONE;
        if (!terminator) {
            sim.metrics.fault(FaultKind.NO_DONE);
        }
        byte[] end = wire.end(summary(), terminator);
        if (end.length > 0) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(end)));
        }
        // Recorded before the final flush so that a client that has read the end finds the record.
        sim.metrics.success(request.finishReason());
        sim.metrics.latency(receivedNanos, written > 0 ? tokenNanos[0] : receivedNanos, System.nanoTime());
        record(200, "completed", request.finishReason());
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
            if (!keepAlive) {
                ctx.close();
            }
        });
        onDone.run();
    }

    /** The answer's figures so far, as the wire reports them; the end is now. */
    private SimWire.Summary summary() {
        long first = written > 0 ? tokenNanos[0] : receivedNanos;
        long last = written > 0 ? tokenNanos[written - 1] : receivedNanos;
        return new SimWire.Summary(
                request.promptTokens(),
                written,
                request.finishReason(),
                request.includeUsage(),
                receivedNanos,
                first,
                last,
                System.nanoTime());
    }

    private void reset() {
        finished = true;
        sim.engine.cancel(sequence);
        record(request.stream() ? 200 : 0, "reset", null);
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    private void truncate() {
        finished = true;
        sim.engine.cancel(sequence);
        record(200, "truncated", null);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    private void collect() {
        long now = System.nanoTime();
        int from = written;
        while (written < produced) {
            content.append(new String(text.next(), StandardCharsets.US_ASCII));
            written++;
        }
        ensureTokenCapacity();
        for (int i = from; i < written; i++) {
            tokenNanos[i] = now;
        }
        if (!engineDone) {
            return;
        }
        sim.metrics.generationTokens.add(written);
        if (fault == null || !midStream() || fault.kind() == FaultKind.EMPTY_EVENT) {
            // A JSON body has no [DONE] to leave out nor room for an extra event.
            sendBody(bodyJson(), "completed");
            return;
        }
        sim.metrics.fault(fault.kind());
        switch (fault.kind()) {
            case STALL ->
                ctx.executor()
                        .schedule(
                                () -> {
                                    if (!finished) {
                                        sendBody(bodyJson(), "completed");
                                    }
                                },
                                fault.millis(),
                                TimeUnit.MILLISECONDS);
            case MALFORMED -> sendBody(ascii("{\"id\": this is not JSON"), "malformed");
            case RESET -> reset();
            case TRUNCATE -> {
                byte[] body = bodyJson();
                finished = true;
                sim.engine.cancel(sequence);
                FullHttpResponse response = jsonResponse(Unpooled.wrappedBuffer(body, 0, body.length / 2));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                record(200, "truncated", null);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
            default -> throw new IllegalStateException("not a mid-stream fault: " + fault);
        }
    }

    private byte[] bodyJson() {
        bodySummary = summary();
        return wire.body(bodySummary, content.toString());
    }

    private void sendBody(byte[] body, String outcome) {
        finished = true;
        FullHttpResponse response = jsonResponse(Unpooled.wrappedBuffer(body));
        sim.metrics.success(request.finishReason());
        sim.metrics.latency(receivedNanos, written > 0 ? tokenNanos[0] : receivedNanos, System.nanoTime());
        record(200, outcome, request.finishReason());
        ctx.writeAndFlush(response).addListener(f -> {
            if (!keepAlive) {
                ctx.close();
            }
        });
        onDone.run();
    }

    private FullHttpResponse jsonResponse(ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (requestId != null) {
            response.headers().set("X-Request-Id", requestId);
        }
        if (bodySummary != null) {
            wire.bodyHeaders(bodySummary).forEach(response.headers()::set);
        }
        return response;
    }

    private void record(int status, String outcome, String finishReason) {
        if (!sim.groundTruth.enabled()) {
            return;
        }
        List<Long> times = new ArrayList<>(written);
        for (int i = 0; i < written; i++) {
            times.add(tokenNanos[i]);
        }
        sim.groundTruth.add(new GroundTruth(
                requestId,
                responseId,
                request.api().endpoint(),
                request.stream(),
                status,
                outcome,
                fault == null ? null : fault.toString(),
                receivedNanos,
                written > 0 ? tokenNanos[0] : null,
                times,
                System.nanoTime(),
                request.promptTokens(),
                written,
                finishReason));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
