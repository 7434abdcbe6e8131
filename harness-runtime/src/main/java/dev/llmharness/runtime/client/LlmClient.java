package dev.llmharness.runtime.client;

import dev.llmharness.api.LlmRequest;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.FrameReader;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.Protocols;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * Sends requests in the target's {@link Protocol} and reads their event streams into {@link
 * RequestTiming}s; a target with {@code stream == false} gets non-streamed requests, whose whole
 * answers {@link WholeAnswerReader} reads. The bytes travel through a {@link ClientTransport}
 * (OkHttp on the request's thread, or one event loop for all requests); what the answer means is
 * decided here and in {@link Exchange}, the same for both. Thread-safe; each {@link #send} returns
 * on its caller's thread when the request has ended, and never throws: every problem becomes a
 * categorised failure in the timing record.
 */
public final class LlmClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String JSON_TYPE = JSON.toString();

    /** See {@link StreamHandler#MAX_DEFERRED_EVENTS}. */
    static final int MAX_DEFERRED_EVENTS = StreamHandler.MAX_DEFERRED_EVENTS;

    private final ClientTransport transport;
    private final Target target;
    private final TokenCounter counter;
    private final ClientTimeouts timeouts;
    private final Protocol protocol;
    private final MediaType accept;
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final StallWatch stallWatch;
    /**
     * The request URLs, streamed and not, parsed once: OkHttp's parse (canonicalisation, IDNA
     * mapping of the host) cost more than the rest of {@link #prepare} and, called a few hundred
     * times a second, stayed uncompiled for minutes. {@code null} when the URL does not parse:
     * {@link #prepare} then passes the text and fails each request as before, with OkHttp's message.
     */
    private final HttpUrl streamUrl;

    private final HttpUrl wholeUrl;
    /** The header values that are the same for every request. */
    private final String streamAccept;

    private final String authorization;

    /**
     * A client on the threads transport over {@code http}, which stays the caller's to close.
     */
    public LlmClient(OkHttpClient http, Target target, TokenCounter counter, ClientTimeouts timeouts) {
        this(new OkHttpTransport(http, timeouts, false), target, counter, timeouts);
    }

    /** A client on {@code transport}, which stays the caller's to close. */
    public LlmClient(ClientTransport transport, Target target, TokenCounter counter, ClientTimeouts timeouts) {
        this.transport = transport;
        this.target = target;
        this.counter = counter;
        this.timeouts = timeouts;
        this.protocol = Protocols.of(target.api());
        this.accept = MediaType.get(protocol.framing().mediaType());
        this.stallWatch = new StallWatch(timeouts.firstToken(), timeouts.idle(), timeouts.total());
        this.streamUrl = HttpUrl.parse(target.baseUrl() + protocol.path());
        this.wholeUrl = HttpUrl.parse(target.baseUrl() + protocol.path(false));
        this.streamAccept = accept.toString();
        this.authorization = target.apiKey() == null || target.apiKey().isEmpty() ? null : "Bearer " + target.apiKey();
    }

    /**
     * Builds the HTTP request: body, bearer token, and the {@code X-Llmh-Request-Id} header.
     *
     * @param index the request's trial-local index
     * @throws IllegalArgumentException when the body cannot be written (bad {@code extraBody}, or a
     *     request shape the API does not take)
     */
    public PreparedRequest prepare(LlmRequest request, long index) {
        boolean stream = target.stream();
        byte[] body = stream ? protocol.body(request, target.model()) : protocol.body(request, target.model(), false);
        Request.Builder b = new Request.Builder();
        HttpUrl url = stream ? streamUrl : wholeUrl;
        if (url != null) {
            b.url(url);
        } else {
            b.url(target.baseUrl() + (stream ? protocol.path() : protocol.path(false))); // throws OkHttp's reason
        }
        b.header(ClientDefaults.REQUEST_ID_HEADER, Long.toString(index))
                .header("Accept", stream ? streamAccept : JSON_TYPE)
                .post(RequestBody.create(body, JSON));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return new PreparedRequest(b.build(), body, stream);
    }

    /**
     * Sends a prepared request at {@code timing.intendedStart()} (at once when that has passed) and
     * reads its answer to the end, recording every instant in {@code timing} and setting its
     * outcome; {@code sent} is stamped just before the request is handed to the connection. Returns
     * when the request has ended. A request cancelled ({@link #cancelAll}) while it waits for its
     * instant is never sent.
     */
    public void send(PreparedRequest request, RequestTiming timing) {
        Exchange exchange = exchange(request, timing);
        inFlight.add(exchange);
        try {
            transport.execute(exchange);
        } finally {
            inFlight.remove(exchange);
        }
    }

    /**
     * Whether {@link #start} returns before the request has ended (the event-loop transport), so
     * that the caller needs no thread per request; else {@link #start} is {@link #send} followed by
     * the callback.
     */
    public boolean startsAsynchronously() {
        return transport.completesAsynchronously();
    }

    /** The transport's sending thread, if it has one ({@link ClientTransport#sendingLoop()}). */
    public java.util.concurrent.ScheduledExecutorService sendingLoop() {
        return transport.sendingLoop();
    }

    /**
     * As {@link #send}, but returns once the request is handed to the transport when it {@link
     * #startsAsynchronously()}: {@code ended} then runs exactly once, when the request has ended
     * (its outcome set), on the transport's thread, which it must not block. Never throws.
     */
    public void start(PreparedRequest request, RequestTiming timing, Runnable ended) {
        Exchange exchange = exchange(request, timing);
        inFlight.add(exchange);
        transport.start(exchange, () -> {
            inFlight.remove(exchange);
            ended.run();
        });
    }

    private Exchange exchange(PreparedRequest request, RequestTiming timing) {
        timing.setCounterSource(counter.source());
        if (!request.streamed()) {
            timing.markNonStreamed();
        }
        return new Exchange(this, request, timing);
    }

    /**
     * Cancels every request in flight or waiting for its instant: each is marked cancelled at
     * {@code nanos} before its transfer is aborted, so its reader cannot record it as failed.
     *
     * @return the number of requests cancelled
     */
    public int cancelAll(long nanos) {
        int n = 0;
        for (Exchange e : inFlight) {
            if (e.cancel(nanos)) {
                n++;
            }
        }
        return n;
    }

    /** In-memory streams {@link #warmUp(Consumer)} reads. */
    static final int WARM_UP_STREAMS = 100;

    /** Content events in each warm-up stream: the 128 output tokens of the usual benchmark. */
    static final int WARM_UP_EVENTS = 128;

    /**
     * Runs the request-building and event-reading code without sending anything, so that class
     * loading, first-call costs and most of the JIT's compilation land before the first scheduled
     * request, not in its dispatch lag or read lag (on one core the compiler threads take the core
     * from the request threads). Calls no user code.
     */
    public void warmUp() {
        warmUp(t -> {});
    }

    /**
     * As {@link #warmUp()}, then reads {@value #WARM_UP_STREAMS} in-memory streams of {@value
     * #WARM_UP_EVENTS} events of the protocol's sample event through the same framing reader,
     * decoder and stream handler as a real response, each into a completed, measured timing
     * record handed to {@code recorder} (a throwaway recorder, so that its path is compiled too).
     * About 13,000 events, past the JIT's thresholds for the per-event path: some 25 ms once
     * compiled, one or two hundred ms on a cold JVM.
     */
    public void warmUp(Consumer<RequestTiming> recorder) {
        LlmRequest request = target.api().takesMessages()
                ? dev.llmharness.api.ChatRequest.of("warm-up", 1)
                : dev.llmharness.api.CompletionRequest.of(
                        new dev.llmharness.api.Prompt(0, "warm-up", 1, 1, true, null));
        for (int i = 0; i < WARM_UP_STREAMS; i++) {
            prepare(request, i);
        }
        byte[] event = protocol.sampleEvent();
        // The same event throughout, and every other one led by a blank: a decoder that reads an
        // event with the shape of the one before it without scanning it (OpenAI's) takes both of
        // its paths, so that the scan is compiled too, not left for the first measured streams.
        byte[] led = new byte[event.length + 1];
        led[0] = ' ';
        System.arraycopy(event, 0, led, 1, event.length);
        Buffer framed = new Buffer();
        Buffer alternating = new Buffer();
        for (int i = 0; i < WARM_UP_EVENTS; i++) {
            protocol.framing().writeEvent(framed, event);
            protocol.framing().writeEvent(alternating, i % 2 == 0 ? event : led);
        }
        byte[][] streams = {framed.readByteArray(), alternating.readByteArray()};
        for (int s = 0; s < WARM_UP_STREAMS; s++) {
            byte[] stream = streams[(s / 2) % 2];
            long now = System.nanoTime();
            RequestTiming timing = new RequestTiming(s, now, true);
            timing.setCounterSource(counter.source());
            timing.markSent(now);
            StreamHandler handler =
                    new StreamHandler(protocol, counter, timeouts.firstToken(), stallWatch.unwatched(timing), timing);
            FrameReader reader = protocol.framing().reader();
            try {
                // Both reading modes: the pull loop of the threads transport feeds the push parser
                // the event loop feeds directly.
                if (s % 2 == 0) {
                    reader.read(new Buffer().write(stream), handler);
                } else if (reader.feed(stream, 0, stream.length, handler)) {
                    reader.finish(handler);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory buffer does not fail
            } finally {
                handler.countDeferredText();
            }
            timing.complete(System.nanoTime());
            recorder.accept(timing);
        }
    }

    /**
     * Opens connections to the target until {@code wanted} are open (see {@link
     * ClientTransport#preopen}); the probe the threads transport sends on each is the protocol's
     * model list, which the readiness probe has already asked for.
     */
    public Preopened preopen(int wanted) throws InterruptedException {
        Request.Builder probe = new Request.Builder()
                .url(target.baseUrl() + protocol.modelsPath())
                .get();
        if (target.apiKey() != null && !target.apiKey().isEmpty()) {
            probe.header("Authorization", "Bearer " + target.apiKey());
        }
        return transport.preopen(probe.build(), wanted);
    }

    /** Requests currently between send and end of stream. */
    public int inFlight() {
        return inFlight.size();
    }

    public Target target() {
        return target;
    }

    Protocol protocol() {
        return protocol;
    }

    TokenCounter counter() {
        return counter;
    }

    ClientTimeouts timeouts() {
        return timeouts;
    }

    StallWatch stallWatch() {
        return stallWatch;
    }

    /** The media type the client asks a stream in. */
    MediaType acceptType() {
        return accept;
    }

    /** The transport requests travel through. */
    public ClientTransport transport() {
        return transport;
    }
}
