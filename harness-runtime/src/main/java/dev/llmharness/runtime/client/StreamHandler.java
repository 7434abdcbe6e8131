package dev.llmharness.runtime.client;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.ServerTimings;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.EventDecoder;
import dev.llmharness.runtime.protocol.FrameReader;
import dev.llmharness.runtime.protocol.Protocol;
import java.time.Duration;

/**
 * Turns one stream's events into timing-record updates, and decides how the stream ended. Both
 * transports use it: the threads transport from the blocking reads of a request thread, the
 * event-loop transport from the loop's reads. Not thread-safe: one per stream, used by one thread
 * at a time.
 */
final class StreamHandler implements FrameReader.Handler {
    /**
     * Event texts kept per stream before they are counted anyway (the server's usage comes after
     * the last token): outputs up to this many events never call the tokenizer when the server
     * sends usage, and a long stream keeps at most about 10 KB of text and offsets.
     */
    static final int MAX_DEFERRED_EVENTS = 1024;

    private final StallWatch.Watched watched;
    private final RequestTiming timing;
    private final TokenCounter counter;
    private final Duration firstTokenTimeout;
    private final EventDecoder parser;
    /** {@code nanoTime} by which the first content event is due. */
    private final long firstTokenDeadline;

    /** Kept event texts; sized ahead for a few hundred events when the counter wants text. */
    private final StringBuilder deferredText;
    /** Where each kept event's text ends; grown by doubling up to {@link #MAX_DEFERRED_EVENTS}. */
    private int[] deferredEnds;

    private int deferredEvents;
    private boolean finished;
    private String problem;
    private FailureCategory category;

    StreamHandler(
            Protocol protocol,
            TokenCounter counter,
            Duration firstTokenTimeout,
            StallWatch.Watched watched,
            RequestTiming timing) {
        this.watched = watched;
        this.timing = timing;
        this.counter = counter;
        this.firstTokenTimeout = firstTokenTimeout;
        // The text is decoded only when something reads it: the token counter, or the per-request
        // file keeping the response.
        this.parser = protocol.newDecoder(counter.needsText() || timing.keepsText());
        this.firstTokenDeadline = timing.sent() + firstTokenTimeout.toNanos();
        // Made per stream: a 4 KB array and a growing builder each time cost more than the
        // events' own parse when nothing needed them.
        boolean text = counter.needsText();
        this.deferredText = new StringBuilder(text ? INITIAL_DEFERRED_EVENTS * 8 : 0);
        this.deferredEnds = new int[text ? INITIAL_DEFERRED_EVENTS : 0];
    }

    /** Event texts the arrays are sized for at first (a 128-token answer fits). */
    static final int INITIAL_DEFERRED_EVENTS = 256;

    /** A socket read of the body returned at {@code nanos}. */
    void onRead(long nanos) {
        watched.onRead(nanos);
    }

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

    /**
     * The body has ended cleanly (or a terminator was read) at {@code now}: counts the kept text
     * and sets the outcome. A problem an event raised wins; then a terminator; then a finish
     * without a terminator (an unterminated success); else the stream was truncated.
     *
     * @param terminated whether the reader stopped at a terminator or a last event
     */
    void end(boolean terminated, long now) {
        countDeferredText();
        parser.close();
        if (problem != null) {
            timing.fail(now, category, problem);
        } else if (terminated) {
            timing.complete(now);
        } else if (finished) {
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
                    // servers that send usage make the count moot: keep the text, count it at the
                    // end of the stream only if no usage came.
                    // Appended straight from the decoder's buffer: no String per event.
                    int before = deferredText.length();
                    parser.appendText(deferredText);
                    if (deferredText.length() > before) {
                        if (deferredEvents == deferredEnds.length) {
                            deferredEnds = java.util.Arrays.copyOf(
                                    deferredEnds, Math.min(MAX_DEFERRED_EVENTS, Math.max(16, deferredEvents * 2)));
                        }
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
                problem = "no content within the first-token timeout of " + firstTokenTimeout;
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
