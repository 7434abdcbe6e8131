package dev.llmharness.runtime.client;

import dev.llmharness.api.LlmRequest;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.ServerTimings;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.EventDecoder;
import dev.llmharness.runtime.protocol.FrameReader;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.Protocols;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Sends streaming requests in the target's {@link Protocol} and reads their event streams into
 * {@link RequestTiming}s; a target with {@code stream == false} gets non-streamed requests, whose
 * whole answers {@link WholeAnswerReader} reads. Thread-safe; each {@link #send} runs on its caller's thread from send to end of stream and never
 * throws: every problem becomes a categorised failure in the timing record.
 */
public final class LlmClient {
    private static final MediaType JSON = MediaType.get("application/json");

    /**
     * Event texts kept per stream before they are counted anyway (the server's usage comes after
     * the last token): outputs up to this many events never call the tokenizer when the server
     * sends usage, and a long stream keeps at most about 10 KB of text and offsets.
     */
    static final int MAX_DEFERRED_EVENTS = 1024;

    private final OkHttpClient http;
    private final Target target;
    private final TokenCounter counter;
    private final ClientTimeouts timeouts;
    private final Protocol protocol;
    private final MediaType accept;
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final StallWatch stallWatch;
    /**
     * For non-streamed requests only ({@code null} when streaming): the same client with a read
     * timeout of the total timeout, as the first-token timeout does not apply to an answer whose
     * headers come when it is whole.
     */
    private final OkHttpClient wholeHttp;

    public LlmClient(OkHttpClient http, Target target, TokenCounter counter, ClientTimeouts timeouts) {
        this.http = http;
        this.target = target;
        this.counter = counter;
        this.timeouts = timeouts;
        this.protocol = Protocols.of(target.api());
        this.accept = MediaType.get(protocol.framing().mediaType());
        this.stallWatch = new StallWatch(timeouts.firstToken(), timeouts.idle());
        this.wholeHttp = target.stream()
                ? null
                : http.newBuilder().readTimeout(timeouts.total()).build();
    }

    /**
     * Builds the HTTP request: body, bearer token, and the {@code X-Llmh-Request-Id} header.
     *
     * @param index the request's trial-local index
     * @throws IllegalArgumentException when the body cannot be written (bad {@code extraBody}, or a
     *     request shape the API does not take)
     */
    public Request prepare(LlmRequest request, long index) {
        boolean stream = target.stream();
        byte[] body = stream ? protocol.body(request, target.model()) : protocol.body(request, target.model(), false);
        Request.Builder b = new Request.Builder()
                .url(target.baseUrl() + (stream ? protocol.path() : protocol.path(false)))
                .header(ClientDefaults.REQUEST_ID_HEADER, Long.toString(index))
                .header("Accept", stream ? accept.toString() : JSON.toString())
                .post(RequestBody.create(body, JSON));
        if (target.apiKey() != null && !target.apiKey().isEmpty()) {
            b.header("Authorization", "Bearer " + target.apiKey());
        }
        return b.build();
    }

    /**
     * Sends a prepared request and reads its stream to the end, recording every instant in {@code
     * timing} and setting its outcome. Marks {@code sent} just before handing the call to OkHttp.
     */
    public void send(Request request, RequestTiming timing) {
        timing.setCounterSource(counter.source());
        if (wholeHttp != null) {
            timing.markNonStreamed();
        }
        Call call = (wholeHttp == null ? http : wholeHttp).newCall(request);
        InFlight entry = new InFlight(call, timing);
        inFlight.add(entry);
        boolean headers = false;
        try {
            timing.markSent(System.nanoTime());
            try (Response response = call.execute()) {
                headers = true;
                timing.setHttpStatus(response.code());
                if (!response.isSuccessful()) {
                    timing.fail(
                            System.nanoTime(),
                            FailureCategory.ofStatus(response.code()),
                            "HTTP " + response.code() + ": " + snippet(response));
                    return;
                }
                if (wholeHttp != null) {
                    WholeAnswerReader.read(protocol, counter, response, timing);
                    return;
                }
                ResponseBody body = response.body();
                MediaType type = body.contentType();
                if (!protocol.framing().accepts(type)) {
                    timing.fail(
                            System.nanoTime(),
                            FailureCategory.PROTOCOL,
                            "expected a " + accept + " answer, got " + type + ": the server did not stream");
                    return;
                }
                readStream(call, body.source(), timing);
            }
        } catch (IOException e) {
            long now = System.nanoTime();
            if (isTimeout(e)) {
                // OkHttp's call timeout cancels the call too; a cancellation by the harness has
                // already marked the request cancelled (cancelAll), which this fail cannot undo.
                timing.fail(
                        now,
                        FailureCategory.TIMEOUT,
                        call.isCanceled()
                                ? "no complete answer within the total timeout of " + timeouts.total()
                                : describe(e));
            } else if (call.isCanceled()) {
                timing.cancel(now);
            } else if (!headers || isReset(e)) {
                timing.fail(now, FailureCategory.CONNECTION, where(timing, headers) + describe(e));
            } else {
                timing.fail(now, FailureCategory.STREAM_TRUNCATED, where(timing, headers) + describe(e));
            }
        } catch (RuntimeException e) {
            timing.fail(System.nanoTime(), FailureCategory.CLIENT, describe(e));
        } finally {
            inFlight.remove(entry);
        }
    }

    private void readStream(Call call, BufferedSource body, RequestTiming timing) throws IOException {
        // The body's reads are timed by the stall watch, not by Okio's per-read watchdog (see
        // StallWatch); OkHttp times the next exchange's headers on this connection again.
        body.timeout().clearTimeout();
        boolean terminated;
        StreamHandler handler;
        try (StallWatch.Watched watched = stallWatch.watch(call, timing, timing.sent())) {
            BufferedSource source = Okio.buffer(new ForwardingSource(body) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n = super.read(sink, byteCount);
                    watched.onRead(System.nanoTime());
                    return n;
                }
            });
            handler = new StreamHandler(watched, timing);
            try {
                terminated = protocol.framing().reader(source).read(handler);
            } finally {
                handler.countDeferredText();
            }
        }
        long now = System.nanoTime();
        if (handler.problem != null) {
            timing.fail(now, handler.category, handler.problem);
        } else if (terminated) {
            timing.complete(now);
        } else if (handler.finished) {
            // Some servers end the body after the finish_reason (and usage) chunk without [DONE]:
            // the answer is whole and the body ended cleanly, so it is a success, counted apart.
            timing.markUnterminated();
            timing.complete(now);
        } else {
            timing.fail(
                    now,
                    FailureCategory.STREAM_TRUNCATED,
                    "the stream ended after " + timing.contentEvents()
                            + " content events without a finish_reason or data: [DONE]");
        }
    }

    /** Turns each event into timing-record updates. */
    private final class StreamHandler implements FrameReader.Handler {
        private final StallWatch.Watched watched;
        private final RequestTiming timing;
        private final EventDecoder parser;
        private final long firstTokenDeadline;
        private final StringBuilder deferredText = new StringBuilder();
        private final int[] deferredEnds = new int[MAX_DEFERRED_EVENTS];
        private int deferredEvents;
        private boolean finished;
        private String problem;
        private FailureCategory category;

        /**
         * Counts the kept event texts, one event at a time as before (the sum of per-event counts),
         * when the server reported no output count (yet); called when the stream ends, however it
         * ends, and every {@value #MAX_DEFERRED_EVENTS} events so that a long stream keeps little.
         */
        void countDeferredText() {
            if (!timing.hasUsageOutputTokens()) {
                long n = 0;
                int start = 0;
                for (int i = 0; i < deferredEvents; i++) {
                    n += counter.tokens(deferredText.substring(start, deferredEnds[i]));
                    start = deferredEnds[i];
                }
                timing.addCountedTokens(n);
            }
            deferredText.setLength(0);
            deferredEvents = 0;
        }

        StreamHandler(StallWatch.Watched watched, RequestTiming timing) {
            this.watched = watched;
            this.timing = timing;
            // The text is decoded only when something reads it: the token counter, or the
            // per-request file keeping the response.
            this.parser = protocol.newDecoder(counter.needsText() || timing.keepsText());
            this.firstTokenDeadline = timing.sent() + timeouts.firstToken().toNanos();
        }

        @Override
        public boolean onEvent(byte[] data, int offset, int length) {
            long now = System.nanoTime();
            EventDecoder.Kind kind = parser.decode(data, offset, length);
            switch (kind) {
                case DONE:
                    return false;
                case INVALID:
                    problem = parser.problem();
                    category = FailureCategory.PROTOCOL;
                    return false;
                case IGNORED:
                    timing.onIgnoredEvent();
                    break;
                case CONTENT:
                    boolean first = !timing.hasFirstToken();
                    int tokens;
                    if (counter.needsText()) {
                        // Tokenizing every event cost ~14 % of the harness's CPU at 800 req/s, and
                        // servers that send usage make the count moot: keep the text, count it
                        // at the end of the stream only if no usage came.
                        String text = parser.text();
                        if (!text.isEmpty()) {
                            deferredText.append(text);
                            deferredEnds[deferredEvents++] = deferredText.length();
                            if (deferredEvents == MAX_DEFERRED_EVENTS) {
                                countDeferredText();
                            }
                        }
                        tokens = parser.toolCalls();
                    } else {
                        tokens = counter.tokens(null);
                    }
                    if (timing.keepsText()) {
                        timing.appendResponseText(parser.text());
                    }
                    timing.onContentEvent(now, tokens);
                    if (parser.reasoning()) {
                        timing.markReasoning(now);
                    } else {
                        timing.noteAnswer(now);
                    }
                    if (first) {
                        watched.onFirstContent(now);
                    }
                    break;
                default:
                    break;
            }
            if (kind != EventDecoder.Kind.CONTENT) {
                // Keep-alives and role-only chunks do not extend the wait for the first token.
                if (!timing.hasFirstToken() && now - firstTokenDeadline > 0) {
                    problem = "no content within the first-token timeout of " + timeouts.firstToken();
                    category = FailureCategory.TIMEOUT;
                    return false;
                }
            }
            if (parser.finished()) {
                finished = true;
            }
            if (parser.completionTokens() >= 0 || parser.promptTokens() >= 0) {
                timing.onUsage(parser.promptTokens(), parser.completionTokens());
            }
            ServerTimings server = parser.serverTimings();
            if (server != null) {
                timing.onServerTimings(server);
            }
            // A protocol whose last event is flagged (llama.cpp, Ollama, TGI) has no terminator.
            return !parser.last();
        }
    }

    /**
     * Cancels every request in flight: each is marked cancelled at {@code nanos} before its call is
     * cancelled, so its reader cannot record it as failed.
     *
     * @return the number of requests cancelled
     */
    public int cancelAll(long nanos) {
        int n = 0;
        for (InFlight f : inFlight) {
            if (f.timing.cancel(nanos)) {
                n++;
            }
            f.call.cancel();
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
        Buffer framed = new Buffer();
        for (int i = 0; i < WARM_UP_EVENTS; i++) {
            protocol.framing().writeEvent(framed, event);
        }
        byte[] stream = framed.readByteArray();
        for (int s = 0; s < WARM_UP_STREAMS; s++) {
            long now = System.nanoTime();
            RequestTiming timing = new RequestTiming(s, now, true);
            timing.setCounterSource(counter.source());
            timing.markSent(now);
            StreamHandler handler = new StreamHandler(stallWatch.unwatched(timing), timing);
            try {
                protocol.framing().reader(new Buffer().write(stream)).read(handler);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // an in-memory buffer does not fail
            } finally {
                handler.countDeferredText();
            }
            timing.complete(System.nanoTime());
            recorder.accept(timing);
        }
    }

    /** Requests currently between send and end of stream. */
    public int inFlight() {
        return inFlight.size();
    }

    public Target target() {
        return target;
    }

    private static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException
                || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
    }

    /**
     * Whether the connection was reset or broken by the peer ({@code connection}), rather than
     * ended early ({@code stream_truncated}: an end of stream inside the body, which OkHttp reports
     * as an {@code EOFException} or a {@code ProtocolException}).
     */
    private static boolean isReset(IOException e) {
        return e instanceof java.net.SocketException || e instanceof okhttp3.internal.http2.StreamResetException;
    }

    /** Where a stream broke, for the failure message: "after N content events: ", or nothing. */
    private static String where(RequestTiming timing, boolean headers) {
        return headers ? "after " + timing.contentEvents() + " content events: " : "";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String snippet(Response response) {
        try {
            String s = response.peekBody(512).string().strip();
            return s.isEmpty() ? response.message() : s;
        } catch (IOException e) {
            return response.message();
        }
    }

    private record InFlight(Call call, RequestTiming timing) {}
}
