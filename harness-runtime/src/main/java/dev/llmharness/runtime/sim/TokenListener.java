package dev.llmharness.runtime.sim;

import io.netty.util.concurrent.EventExecutor;

/** Where an engine reports a sequence's progress: the connection that waits for its tokens. */
interface TokenListener {
    /** The thread that {@link #onTokens} must run on (the connection's event loop). */
    EventExecutor executor();

    /**
     * The engine has produced tokens 1 to {@code produced} of this sequence (cumulative, so a
     * skipped call loses nothing); {@code last} when that is all of them. Called on {@link
     * #executor()}.
     */
    void onTokens(int produced, boolean last);
}
