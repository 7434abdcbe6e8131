package dev.llmharness.runtime.client;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.protocol.FrameReader;
import java.util.function.Function;
import okhttp3.MediaType;

/**
 * One request between {@link LlmClient#send} and its end: the prepared request, its timing record,
 * and the logic both transports share to judge the answer (status, content type, stream events,
 * whole answers, failure categories). A transport only moves bytes and calls these in order:
 * {@link #markSent}, {@link #onStatus}, then either {@link #acceptsStream} with a {@link
 * #newStream} stream handler fed by a {@link #newFrameReader}, or {@link #acceptsWhole} and {@link
 * #readWhole}; or one of the {@code fail} methods. The first outcome set wins ({@link
 * RequestTiming}), so a cancellation or a timeout is never overwritten by what the transport sees
 * after it.
 */
public final class Exchange {
    private final LlmClient client;
    private final PreparedRequest request;
    private final RequestTiming timing;
    private Runnable canceller; // guarded by this
    private boolean cancelled; // guarded by this

    Exchange(LlmClient client, PreparedRequest request, RequestTiming timing) {
        this.client = client;
        this.request = request;
        this.timing = timing;
    }

    public PreparedRequest request() {
        return request;
    }

    public RequestTiming timing() {
        return timing;
    }

    /** {@code nanoTime} at which the request should be sent (sent at once when passed). */
    public long intendedStart() {
        return timing.intendedStart();
    }

    ClientTimeouts timeouts() {
        return client.timeouts();
    }

    /** Whether the request has an outcome already (it was cancelled before its send). */
    boolean ended() {
        return timing.outcome() != null;
    }

    /** The request goes on the wire now ({@code nanoTime}). */
    void markSent(long nanos) {
        timing.markSent(nanos);
    }

    /**
     * How to abort this request's transfer (cancel the call, close the connection); run at once if
     * the request was cancelled already. Called once, by the transport, when it starts the transfer.
     */
    void onCancel(Runnable cancel) {
        boolean now;
        synchronized (this) {
            canceller = cancel;
            now = cancelled;
        }
        if (now) {
            cancel.run();
        }
    }

    /**
     * Marks the request cancelled at {@code nanos}, then aborts its transfer (Ctrl-C, the end of a
     * trial): the mark comes first, so that the transport, seeing its connection end, cannot
     * record a failure instead.
     *
     * @return whether this set the outcome (the request had none yet)
     */
    boolean cancel(long nanos) {
        boolean marked = timing.cancel(nanos);
        Runnable c;
        synchronized (this) {
            cancelled = true;
            c = canceller;
        }
        if (c != null) {
            c.run();
        }
        return marked;
    }

    /** The status line arrived: records it; whether it is a success (2xx). */
    boolean onStatus(int status) {
        timing.setHttpStatus(status);
        return status >= 200 && status < 300;
    }

    /** Fails a request the server refused: the status's category, and the start of its body. */
    void failStatus(int status, String snippet) {
        timing.fail(System.nanoTime(), FailureCategory.ofStatus(status), "HTTP " + status + ": " + snippet);
    }

    /** Whether the answer's type is the protocol's stream; if not, fails the request (protocol). */
    boolean acceptsStream(MediaType type) {
        if (client.protocol().framing().accepts(type)) {
            return true;
        }
        timing.fail(
                System.nanoTime(),
                FailureCategory.PROTOCOL,
                "expected a " + client.acceptType() + " answer, got " + type + ": the server did not stream");
        return false;
    }

    /** Whether a non-streamed answer's type is JSON; if not, fails the request (protocol). */
    boolean acceptsWhole(MediaType type) {
        return WholeAnswerReader.acceptsType(type, timing);
    }

    /** Decodes a whole non-streamed answer, read completely by {@code end}. */
    void readWhole(byte[] body, long end, Function<String, String> header) {
        WholeAnswerReader.decode(client.protocol(), client.counter(), body, end, header, timing);
    }

    /** A new reader of the protocol's framing for this answer's body. */
    FrameReader newFrameReader() {
        return client.protocol().framing().reader();
    }

    /**
     * Starts timing the stream's stalls and returns its event handler; {@link
     * StallWatch.Watched#close()} the watch when the stream ends.
     *
     * @param cancel ends the transfer when a timeout expires (after the record has failed)
     * @param total whether the watch also enforces the total timeout (the transport has none)
     */
    StallWatch.Watched watch(Runnable cancel, boolean total) {
        return client.stallWatch()
                .watch(cancel, timing, timing.sent(), total ? client.timeouts().total() : null);
    }

    /** The handler of this stream's events. */
    StreamHandler newStream(StallWatch.Watched watched) {
        return new StreamHandler(
                client.protocol(), client.counter(), client.timeouts().firstToken(), watched, timing);
    }

    /**
     * Fails the request for an I/O problem: {@code connection} before the headers or when the
     * connection was reset, else {@code stream_truncated} (the answer ended early).
     *
     * @param headers whether the response's headers had arrived
     * @param reset whether the connection was reset or broken by the peer
     */
    void failIo(long nanos, Throwable e, boolean headers, boolean reset) {
        String where = headers ? "after " + timing.contentEvents() + " content events: " : "";
        timing.fail(
                nanos,
                !headers || reset ? FailureCategory.CONNECTION : FailureCategory.STREAM_TRUNCATED,
                where + describe(e));
    }

    /** Fails the request as a timeout. */
    void failTimeout(long nanos, String detail) {
        timing.fail(nanos, FailureCategory.TIMEOUT, detail);
    }

    /** Fails the request for a problem of the harness's own (a bug, a bad setting). */
    void failClient(Throwable e) {
        timing.fail(System.nanoTime(), FailureCategory.CLIENT, describe(e));
    }

    /** The exception's class and message, for a failure's detail. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
