package dev.llmharness.runtime.metrics;

import java.util.Arrays;

/**
 * The timing record of one request: every instant DESIGN §3 names, as {@link System#nanoTime()}
 * values (nanoseconds, comparable only with each other), plus token counts and the outcome.
 *
 * <p>One thread writes the timestamps (the thread that sends and reads the request); the outcome
 * (with its end instant and failure) is set once, under this object's lock, because the harness
 * may cancel a request from another thread while its reader completes it.
 * Timestamps not reached are {@code 0} ({@code nanoTime} is never exactly 0 in practice, and
 * {@link #hasFirstToken()} and friends say which exist).
 */
public final class RequestTiming {
    private static final int INITIAL_EVENTS = 32;

    private final long index;
    private final long intendedStart;
    private final boolean measured;
    private long sent;
    private long firstToken;
    private long lastToken;
    private long end;
    private long buildNanos = -1;
    private boolean delayedStart;

    /** Arrival time of each content event, in order; grown by doubling. */
    private long[] events = new long[INITIAL_EVENTS];

    private int eventCount;
    private long countedTokens;
    private int usageInputTokens = -1;
    private int usageOutputTokens = -1;
    private int requestedOutputTokens = -1;
    private int promptInputTokens = -1;
    private int clientInputTokens = -1;
    private boolean exactOutput;
    private String tokenSource = "events";
    private int ignoredEvents;
    private ServerTimings serverTimings;
    private int reasoningEvents;
    private long firstReasoning;
    /** The first content event that was not reasoning; set by {@link #noteAnswer}. */
    private long firstAnswer;

    private boolean unterminated;
    /** Whether the answer came as one non-streamed body: no events, its end is its last instant. */
    private boolean nonStreamed;

    private int httpStatus;
    private int worker = -1;
    /** Characters of prompt and response text to keep for the per-request file; 0: keep none. */
    private int textChars;

    private String promptText;
    private StringBuilder responseText;
    private volatile Outcome outcome;
    private FailureCategory failure;
    private String failureDetail;

    /**
     * @param index request index within the trial, {@code >= 0} (sent as {@code X-Llmh-Request-Id})
     * @param intendedStart the instant the schedule gave this request ({@code nanoTime})
     * @param measured whether {@code intendedStart} falls inside the measurement window
     */
    public RequestTiming(long index, long intendedStart, boolean measured) {
        this.index = index;
        this.intendedStart = intendedStart;
        this.measured = measured;
    }

    /** Notes the instant the request was handed to the HTTP client. */
    public void markSent(long nanos) {
        this.sent = nanos;
    }

    /** Notes how long building the request took (prompt + benchmark method + body), in ns. */
    public void setBuildNanos(long nanos) {
        this.buildNanos = nanos;
    }

    /** Notes that the request waited for an in-flight slot before it could be sent. */
    public void markDelayedStart() {
        this.delayedStart = true;
    }

    /** Notes the request's size as built: prompt tokens ({@code -1} unknown) and {@code max_tokens}. */
    public void setRequested(int promptInputTokens, int requestedOutputTokens) {
        this.promptInputTokens = promptInputTokens;
        this.requestedOutputTokens = requestedOutputTokens;
        if (eventCount == 0 && requestedOutputTokens > events.length) {
            // Sized for the answer asked for (one event per token, as most servers stream), so
            // that a 128-token answer does not grow the array three times; capped, as max_tokens
            // is only an upper bound.
            events = new long[Math.min(requestedOutputTokens, MAX_PRESIZED_EVENTS)];
        }
    }

    /** Largest event array {@link #setRequested(int, int)} allocates ahead. */
    static final int MAX_PRESIZED_EVENTS = 4096;

    /**
     * Notes the request's size as built, and whether the output length was enforced ({@code
     * ignore_eos} / {@code min_tokens}), which makes {@code max_tokens} the intended output length.
     */
    public void setRequested(int promptInputTokens, int requestedOutputTokens, boolean exactOutput) {
        setRequested(promptInputTokens, requestedOutputTokens);
        this.exactOutput = exactOutput;
    }

    /**
     * Notes the harness's own count of the prompt as sent (every message's content, or the prompt
     * text, in the trial's encoding; no chat template), {@code -1} when not counted.
     */
    public void setClientInputTokens(int tokens) {
        this.clientInputTokens = tokens;
    }

    /** Notes the HTTP status of the response, once its headers arrived. */
    public void setHttpStatus(int status) {
        this.httpStatus = status;
    }

    /** Notes the closed-loop worker that sent the request ({@code 0 <= worker < concurrency}). */
    public void setWorker(int worker) {
        this.worker = worker;
    }

    /**
     * Asks this record to keep up to {@code chars} characters of the prompt and of the response
     * text, for the per-request file; {@code 0} (the default) keeps none. Call before sending.
     */
    public void keepText(int chars) {
        this.textChars = Math.max(0, chars);
    }

    /** Whether {@link #keepText} asked for text: the stream reader then passes it to {@link #appendResponseText}. */
    public boolean keepsText() {
        return textChars > 0;
    }

    /** Keeps the start of the prompt text, when {@link #keepsText()}. */
    public void setPromptText(String text) {
        if (textChars > 0 && text != null) {
            promptText = text.length() <= textChars ? text : text.substring(0, textChars);
        }
    }

    /** Appends response text of one content event, until {@link #keepText}'s limit is reached. */
    public void appendResponseText(CharSequence text) {
        if (textChars == 0 || text == null) {
            return;
        }
        if (responseText == null) {
            responseText = new StringBuilder();
        }
        int room = textChars - responseText.length();
        if (room > 0) {
            responseText.append(text, 0, Math.min(room, text.length()));
        }
    }

    /**
     * Notes one content event (text, reasoning or tool-call delta) read at {@code nanos}, carrying
     * {@code tokens} tokens by the harness's count. Records one ITL gap per event whatever {@code
     * tokens} is.
     */
    /**
     * Notes that the content event just noted ({@link #onContentEvent}) at {@code nanos} was
     * reasoning ({@code reasoning_content}, {@code reasoning}, Ollama's {@code thinking}) rather
     * than answer text.
     */
    public void markReasoning(long nanos) {
        if (reasoningEvents == 0) {
            firstReasoning = nanos;
        }
        reasoningEvents++;
    }

    /** Notes that the content event just noted at {@code nanos} was answer text, not reasoning. */
    public void noteAnswer(long nanos) {
        if (firstAnswer == 0) {
            firstAnswer = nanos;
        }
    }

    /** Content events that were reasoning, {@code >= 0}. */
    public int reasoningEvents() {
        return reasoningEvents;
    }

    /** Content events that were answer (not reasoning), {@code >= 0}. */
    public int answerEvents() {
        return eventCount - reasoningEvents;
    }

    /** Time to the first reasoning event from the intended start, ns; {@code -1} without one. */
    public long firstReasoningNanos() {
        return reasoningEvents > 0 ? firstReasoning - intendedStart : -1;
    }

    /**
     * Time to the first answer event (content that is not reasoning) from the intended start, ns;
     * {@code -1} without one.
     */
    public long firstAnswerNanos() {
        return firstAnswer != 0 ? firstAnswer - intendedStart : -1;
    }

    public void onContentEvent(long nanos, int tokens) {
        if (eventCount == 0) {
            firstToken = nanos;
        }
        if (eventCount == events.length) {
            events = Arrays.copyOf(events, eventCount * 2);
        }
        events[eventCount++] = nanos;
        lastToken = nanos;
        countedTokens += tokens;
    }

    /**
     * Adds tokens counted by the harness after the fact (the client counts the text of a stream's
     * events only when the stream ends without a {@code usage} output count), {@code >= 0}.
     */
    public void addCountedTokens(long tokens) {
        countedTokens += tokens;
    }

    /** Whether the server reported the output token count ({@code usage.completion_tokens}). */
    public boolean hasUsageOutputTokens() {
        return usageOutputTokens >= 0;
    }

    /** Notes the server's {@code usage}: prompt and completion tokens, {@code -1} when absent. */
    public void onUsage(int promptTokens, int completionTokens) {
        if (promptTokens >= 0) {
            usageInputTokens = promptTokens;
        }
        if (completionTokens >= 0) {
            usageOutputTokens = completionTokens;
        }
    }

    /**
     * Notes what the server reported about its own timing of this request (llama.cpp {@code
     * timings}, Ollama's durations, TGI's {@code details}); later reports fill in what earlier ones
     * lacked.
     */
    public void onServerTimings(ServerTimings reported) {
        serverTimings = serverTimings == null ? reported : serverTimings.with(reported);
    }

    /** The server's own figures for this request, or {@code null} when it reported none. */
    public ServerTimings serverTimings() {
        return serverTimings;
    }

    /**
     * Notes one event that carried nothing the harness reads (neither {@code choices} nor {@code
     * usage}, e.g. {@code data: {}}): a server's keep-alive or metadata event, not an error.
     */
    public void onIgnoredEvent() {
        ignoredEvents++;
    }

    /** Events ignored by {@link #onIgnoredEvent()}, {@code >= 0}. */
    public int ignoredEvents() {
        return ignoredEvents;
    }

    /**
     * Notes that the stream ended cleanly after the answer's {@code finish_reason} but without its
     * terminator ({@code data: [DONE]}); such a request is completed, and the result counts it.
     */
    public void markUnterminated() {
        unterminated = true;
    }

    /**
     * Notes that the request was not streamed: its answer came whole, so it has no first token,
     * inter-token gaps or TPOT, and its E2E runs to its end ({@link #complete}).
     */
    public void markNonStreamed() {
        nonStreamed = true;
    }

    /** Whether {@link #markNonStreamed()} was called. */
    public boolean nonStreamed() {
        return nonStreamed;
    }

    /** Whether {@link #markUnterminated()} was called. */
    public boolean unterminated() {
        return unterminated;
    }

    /** Names the counter used when usage is absent ({@link TokenCounter#source()}). */
    public void setCounterSource(String source) {
        this.tokenSource = source;
    }

    /** Marks the request completed at {@code nanos} (end of stream); false if already ended. */
    public synchronized boolean complete(long nanos) {
        if (outcome != null) {
            return false;
        }
        end = nanos;
        outcome = Outcome.COMPLETED;
        return true;
    }

    /** Marks the request failed; false if it had already ended (e.g. it was cancelled first). */
    public synchronized boolean fail(long nanos, FailureCategory category, String detail) {
        if (outcome != null) {
            return false;
        }
        end = nanos;
        failure = category;
        failureDetail = detail;
        outcome = Outcome.FAILED;
        return true;
    }

    /** Marks the request cancelled; false if it had already ended. */
    public synchronized boolean cancel(long nanos) {
        if (outcome != null) {
            return false;
        }
        end = nanos;
        outcome = Outcome.CANCELLED;
        return true;
    }

    public long index() {
        return index;
    }

    public boolean measured() {
        return measured;
    }

    public long intendedStart() {
        return intendedStart;
    }

    public long sent() {
        return sent;
    }

    public long firstToken() {
        return firstToken;
    }

    public long lastToken() {
        return lastToken;
    }

    public synchronized long end() {
        return end;
    }

    public boolean isSent() {
        return sent != 0;
    }

    public boolean hasFirstToken() {
        return eventCount > 0;
    }

    public boolean delayedStart() {
        return delayedStart;
    }

    /** Build time in ns, or {@code -1} if the request was never built. */
    public long buildNanos() {
        return buildNanos;
    }

    /** Number of content events read. */
    public int contentEvents() {
        return eventCount;
    }

    /** Arrival time of content event {@code i}, {@code 0 <= i < contentEvents()}. */
    public long eventNanos(int i) {
        if (i >= eventCount) {
            throw new IndexOutOfBoundsException("event " + i + " of " + eventCount);
        }
        return events[i];
    }

    /** The outcome, or {@code null} while in flight. */
    public Outcome outcome() {
        return outcome;
    }

    /** The failure category when {@link #outcome()} is FAILED, else {@code null}. */
    public synchronized FailureCategory failure() {
        return failure;
    }

    /** What went wrong, for logs; never contains credentials. */
    public synchronized String failureDetail() {
        return failureDetail;
    }

    /** Output tokens: the server's usage when reported, else the harness's count. */
    public long outputTokens() {
        return usageOutputTokens >= 0 ? usageOutputTokens : countedTokens;
    }

    /** Input tokens: the server's usage when reported, else the prompt's length, else {@code -1}. */
    public long inputTokens() {
        return usageInputTokens >= 0 ? usageInputTokens : promptInputTokens;
    }

    /** The prompt's length in tokens by the trial's encoding (what the workload intended), or {@code -1}. */
    public int intendedInputTokens() {
        return promptInputTokens;
    }

    /**
     * The harness's count of the prompt as sent, in the trial's encoding, or {@code -1}: differs
     * from {@link #intendedInputTokens()} when the benchmark method adds text (a system message)
     * or prompts were sized in the server's tokenizer.
     */
    public int clientInputTokens() {
        return clientInputTokens;
    }

    /** The server's {@code usage.prompt_tokens}, or {@code -1} when it reported none. */
    public int serverInputTokens() {
        return usageInputTokens;
    }

    /** The server's {@code usage.completion_tokens}, or {@code -1} when it reported none. */
    public int serverOutputTokens() {
        return usageOutputTokens;
    }

    /**
     * The harness's own count of output tokens (the trial's tokenizer, or one per content event),
     * or {@code -1} when it did not count all of them: a tokenizer is skipped once the server
     * reports usage, which saves its CPU on the request path.
     */
    public long countedOutputTokens() {
        return usageOutputTokens < 0 || "events".equals(tokenSource) ? countedTokens : -1;
    }

    /** Whether the output length was enforced, making {@code max_tokens} the intended length. */
    public boolean exactOutput() {
        return exactOutput;
    }

    /** The response's HTTP status, or {@code 0} when no response headers arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The closed-loop worker that sent the request, or {@code -1} (open loop). */
    public int worker() {
        return worker;
    }

    /** The kept start of the prompt, or {@code null} when none was kept. */
    public String promptText() {
        return promptText;
    }

    /** The kept start of the response, or {@code null} when none was kept. */
    public String responseText() {
        return responseText == null ? null : responseText.toString();
    }

    /** {@code max_tokens} as sent, or {@code -1} before the request was built. */
    public int requestedOutputTokens() {
        return requestedOutputTokens;
    }

    /** {@code "usage"} when the server reported completion tokens, else the counter's source. */
    public String tokenSource() {
        return usageOutputTokens >= 0 ? "usage" : tokenSource;
    }

    /** TTFT: first content event minus intended start, ns; {@code -1} without a first token. */
    public long ttftNanos() {
        return hasFirstToken() ? firstToken - intendedStart : -1;
    }

    /** TTFT from send: first content event minus send, ns; {@code -1} when not available. */
    public long ttftFromSendNanos() {
        return hasFirstToken() && isSent() ? firstToken - sent : -1;
    }

    /** Dispatch lag: send minus intended start, ns; {@code -1} when never sent. */
    public long dispatchLagNanos() {
        return isSent() ? sent - intendedStart : -1;
    }

    /**
     * E2E: last content event minus intended start, ns; {@code -1} without content. A non-streamed
     * request's E2E is its end (the whole body read) minus intended start, once it completed.
     */
    public long e2eNanos() {
        if (nonStreamed) {
            return outcome == Outcome.COMPLETED ? end - intendedStart : -1;
        }
        return hasFirstToken() ? lastToken - intendedStart : -1;
    }

    /**
     * TPOT: {@code (lastToken - firstToken) / (outputTokens - 1)} in ns, for at least 2 output
     * tokens; {@code -1} otherwise.
     */
    public long tpotNanos() {
        long out = outputTokens();
        if (!hasFirstToken() || out < 2) {
            return -1;
        }
        return (lastToken - firstToken) / (out - 1);
    }

    /** The largest gap between consecutive content events, ns; {@code -1} with fewer than 2 events. */
    public long maxItlNanos() {
        long max = -1;
        for (int i = 1; i < eventCount; i++) {
            max = Math.max(max, events[i] - events[i - 1]);
        }
        return max;
    }
}
