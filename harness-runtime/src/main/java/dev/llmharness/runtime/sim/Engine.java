package dev.llmharness.runtime.sim;

/**
 * Produces the tokens of submitted sequences on the configured timing and reports them to each
 * sequence's {@link TokenListener}. {@link #submit} and {@link #cancel} may be called from any
 * thread.
 */
abstract class Engine implements AutoCloseable {
    /** Gauges published for {@code /metrics}: sequences running and waiting, KV-cache use 0..1. */
    volatile int runningGauge;

    volatile int waitingGauge;
    volatile double kvUsageGauge;

    static Engine create(SimConfig config) {
        return switch (config.timing()) {
            case BATCHED -> new BatchingEngine(config);
            case FIXED -> new FixedLatencyEngine(config);
            case IMMEDIATE -> new ImmediateEngine();
        };
    }

    abstract void submit(Sequence s);

    abstract void cancel(Sequence s);

    /** Stops producing tokens and ends the engine's thread, if any; waits for it. */
    @Override
    public abstract void close();

    /** Writes every token at once, on the caller's thread (the connection's event loop). */
    static final class ImmediateEngine extends Engine {
        @Override
        void submit(Sequence s) {
            s.generated = s.outputTokens;
            s.state = Sequence.State.DONE;
            if (s.listener.executor().inEventLoop()) {
                s.listener.onTokens(s.outputTokens, true);
            } else {
                s.listener.executor().execute(() -> s.listener.onTokens(s.outputTokens, true));
            }
        }

        @Override
        void cancel(Sequence s) {
            // nothing to cancel: every token was produced on submission
        }

        @Override
        public void close() {
            // no thread
        }
    }
}
