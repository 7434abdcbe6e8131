package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routes the requests of one connection, one at a time: HTTP/1.1 pipelined requests wait until the
 * response before them is complete.
 */
final class SimHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String REQUEST_ID_HEADER = "X-Llmh-Request-Id";
    static final String FAULT_HEADER = "X-Llmh-Fault";

    private static final String ROUTES = "POST /v1/chat/completions, POST /v1/completions, GET /v1/models, "
            + "POST /completion, GET /props (llama.cpp), POST /generate_stream, POST /generate, GET /info (TGI), "
            + "POST /api/generate, POST /api/chat, GET /api/tags, GET /api/version, GET /api/ps (Ollama), "
            + "POST /tokenize (llama.cpp, vLLM and TGI bodies), GET /version (vLLM), GET /health, GET /metrics, "
            + "GET /admin/ground-truth";

    private final SimContext sim;
    private final SimDiscovery discovery;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Exchange current;
    private boolean busy;

    private record Pending(FullHttpRequest request, long receivedNanos) {}

    SimHttpHandler(SimContext sim) {
        this.sim = sim;
        this.discovery = new SimDiscovery(sim);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long received = System.nanoTime();
        if (busy) {
            pending.addLast(new Pending(request.retain(), received));
            return;
        }
        handle(ctx, request, received);
    }

    private void next(ChannelHandlerContext ctx) {
        busy = false;
        current = null;
        Pending p = pending.pollFirst();
        if (p != null && ctx.channel().isActive()) {
            try {
                handle(ctx, p.request, p.receivedNanos);
            } finally {
                p.request.release();
            }
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, long received) {
        busy = true;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            if (request.decoderResult().isFailure()) {
                keepAlive = false;
                throw ApiError.badRequest(
                        null,
                        "bad_http_request",
                        "The HTTP request could not be parsed: "
                                + request.decoderResult().cause());
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            HttpMethod method = request.method();
            SimPersona persona = sim.config.engine();
            SimApi api = SimApi.ofPath(path);
            boolean served = api != null ? persona.serves(api) : persona.serves(path);
            if (!served && !path.equals("/admin/ground-truth")) {
                throw new ApiError(
                        404,
                        "invalid_request_error",
                        null,
                        "not_found",
                        "Unknown path " + path + ". The simulator serves " + routes(persona) + ".");
            }
            if (sim.loading() && !path.equals("/admin/ground-truth") && !path.equals("/metrics")) {
                // llama.cpp's answer to every request while it loads its model.
                throw new ApiError(503, "unavailable_error", null, null, "Loading model");
            }
            if (api != null) {
                requireMethod(method, HttpMethod.POST, path);
                generate(ctx, request, api, keepAlive, received);
                return;
            }
            switch (path) {
                case "/props", "/info", "/api/tags", "/api/version", "/api/ps" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    sendJson(ctx, HttpResponseStatus.OK, discovery.answer(path), keepAlive);
                }
                case "/tokenize" -> {
                    requireMethod(method, HttpMethod.POST, path);
                    send(
                            ctx,
                            HttpResponseStatus.OK,
                            "application/json",
                            SimTokenize.bytes(SimTokenize.answer(sim, request.content())),
                            keepAlive);
                }
                case "/version" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    sendJson(ctx, HttpResponseStatus.OK, discovery.answer(path), keepAlive);
                }
                case "/v1/models" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    sendJson(ctx, HttpResponseStatus.OK, models(), keepAlive);
                }
                case "/health" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    sendJson(
                            ctx,
                            HttpResponseStatus.OK,
                            sim.json.createObjectNode().put("status", "ok"),
                            keepAlive);
                }
                case "/metrics" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    send(
                            ctx,
                            HttpResponseStatus.OK,
                            "text/plain; version=0.0.4; charset=utf-8",
                            sim.metrics.render(sim.config.model(), sim.engine).getBytes(StandardCharsets.UTF_8),
                            keepAlive);
                }
                case "/admin/ground-truth" -> {
                    requireMethod(method, HttpMethod.GET, path);
                    List<String> clear = uri.parameters().get("clear");
                    boolean drain = clear != null && clear.contains("true");
                    List<GroundTruth> records = sim.groundTruth.snapshot(drain);
                    FullHttpResponse response = response(
                            HttpResponseStatus.OK, "application/json", sim.json.writeValueAsBytes(records), keepAlive);
                    response.headers().set("X-Llmh-Ground-Truth-Dropped", sim.groundTruth.dropped());
                    write(ctx, response, keepAlive);
                }
                default ->
                    throw new ApiError(
                            404,
                            "invalid_request_error",
                            null,
                            "not_found",
                            "Unknown path " + path + ". The simulator serves " + routes(persona) + ".");
            }
        } catch (ApiError e) {
            sendError(ctx, e, keepAlive);
        } catch (IOException | RuntimeException e) {
            sendError(ctx, new ApiError(500, "server_error", null, null, "The simulator failed: " + e), false);
        }
    }

    /** The routes named in a 404: every route, or the persona's. */
    private static String routes(SimPersona persona) {
        if (persona == SimPersona.ALL) {
            return ROUTES;
        }
        java.util.List<String> routes = new java.util.ArrayList<>();
        for (SimApi a : SimApi.values()) {
            if (persona.serves(a)) {
                routes.add("POST " + a.path());
            }
        }
        for (String p : java.util.List.of(
                "/props",
                "/info",
                "/api/tags",
                "/api/version",
                "/api/ps",
                "/v1/models",
                "/version",
                "/health",
                "/metrics",
                "/tokenize")) {
            if (persona.serves(p)) {
                routes.add((p.equals("/tokenize") ? "POST " : "GET ") + p);
            }
        }
        return String.join(", ", routes) + " (posing as " + persona.wireName() + ")";
    }

    private static void requireMethod(HttpMethod actual, HttpMethod wanted, String path) {
        if (!actual.equals(wanted)) {
            throw new ApiError(
                    405,
                    "invalid_request_error",
                    null,
                    "method_not_allowed",
                    "Method " + actual + " is not allowed on " + path + "; use " + wanted + ".");
        }
    }

    private void generate(
            ChannelHandlerContext ctx, FullHttpRequest http, SimApi api, boolean keepAlive, long received) {
        String requestId = http.headers().get(REQUEST_ID_HEADER);
        GenerationRequest request;
        Fault fault;
        try {
            String faultHeader = http.headers().get(FAULT_HEADER);
            if (faultHeader != null) {
                try {
                    fault = Fault.parse(faultHeader);
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest(
                            FAULT_HEADER, "invalid_fault", "Bad " + FAULT_HEADER + " header: " + e.getMessage());
                }
            } else {
                fault = sim.drawFault();
            }
            request = GenerationRequest.parse(api, new ByteBufInputStream(http.content()), sim.config, sim.json);
        } catch (ApiError e) {
            recordRejected(requestId, api, e.status, null, received);
            throw e;
        }
        if (fault != null) {
            switch (fault.kind()) {
                case HTTP_500, HTTP_503, HTTP_429 -> {
                    sim.metrics.fault(fault.kind());
                    ApiError error = switch (fault.kind()) {
                        case HTTP_500 ->
                            new ApiError(
                                    500,
                                    "server_error",
                                    null,
                                    null,
                                    "Simulated internal server error (fault http_500).");
                        case HTTP_503 ->
                            new ApiError(
                                    503,
                                    "server_error",
                                    null,
                                    null,
                                    "Simulated overload: service unavailable (fault " + "http_503).");
                        default ->
                            new ApiError(
                                    429,
                                    "rate_limit_error",
                                    null,
                                    "rate_limit_exceeded",
                                    "Simulated rate limit (fault http_429); retry after " + fault.retryAfterSeconds()
                                            + " s.");
                    };
                    recordRejected(requestId, api, error.status, fault, received);
                    FullHttpResponse response = errorResponse(error, keepAlive);
                    if (fault.kind() == FaultKind.HTTP_429) {
                        response.headers().setInt(HttpHeaderNames.RETRY_AFTER, fault.retryAfterSeconds());
                    }
                    write(ctx, response, keepAlive);
                    return;
                }
                default -> {
                    // applied by the exchange
                }
            }
        }
        Exchange exchange = new Exchange(sim, ctx, request, fault, requestId, keepAlive, received, () -> next(ctx));
        current = exchange;
        if (fault != null && fault.kind() == FaultKind.SLOW_HEADERS) {
            sim.metrics.fault(FaultKind.SLOW_HEADERS);
            ctx.executor().schedule(exchange::start, fault.millis(), TimeUnit.MILLISECONDS);
        } else {
            exchange.start();
        }
    }

    private void recordRejected(String requestId, SimApi api, int status, Fault fault, long received) {
        sim.metrics.rejected.increment();
        if (!sim.groundTruth.enabled()) {
            return;
        }
        sim.groundTruth.add(new GroundTruth(
                requestId,
                null,
                api.endpoint(),
                false,
                status,
                "rejected",
                fault == null ? null : fault.toString(),
                received,
                null,
                List.of(),
                System.nanoTime(),
                0,
                0,
                null));
    }

    private ObjectNode models() {
        ObjectNode root = sim.json.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        ObjectNode model = data.addObject();
        model.put("id", sim.config.model());
        model.put("object", "model");
        model.put("created", sim.created());
        model.put("owned_by", "llmh-sim");
        model.put("max_model_len", sim.config.maxModelLen());
        // The whole configuration, so that a result records which simulator it measured.
        model.put("llmh_sim_options", SimCommand.describe(sim.config));
        return root;
    }

    private void sendError(ChannelHandlerContext ctx, ApiError error, boolean keepAlive) {
        write(ctx, errorResponse(error, keepAlive), keepAlive);
    }

    private FullHttpResponse errorResponse(ApiError error, boolean keepAlive) {
        return response(
                HttpResponseStatus.valueOf(error.status),
                "application/json",
                error.body().toString().getBytes(StandardCharsets.UTF_8),
                keepAlive);
    }

    private void sendJson(ChannelHandlerContext ctx, HttpResponseStatus status, ObjectNode body, boolean keepAlive) {
        send(ctx, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), keepAlive);
    }

    private void send(
            ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body, boolean keepAlive) {
        write(ctx, response(status, type, body, keepAlive), keepAlive);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body, boolean keepAlive) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        ctx.writeAndFlush(response).addListener(f -> {
            if (!keepAlive) {
                ctx.close();
            }
        });
        next(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (current != null) {
            current.connectionClosed();
            current = null;
        }
        for (Pending p; (p = pending.pollFirst()) != null; ) {
            p.request.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors (a client that resets its connection) end the connection; the exchange, if
        // any, is recorded as client_closed by channelInactive.
        ctx.close();
    }
}
