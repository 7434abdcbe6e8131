package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;

/**
 * The fixture of the tests that run the event loop's parts against the simulator on loopback: the
 * zero-latency simulator, an event-loop transport with the default timeouts, and a chat client of
 * the simulator on it (one token counted per content event). A test class starts one in its
 * {@code @BeforeAll} and closes it in its {@code @AfterAll}.
 */
final class LoopSimulator implements AutoCloseable {
    static final ClientTimeouts TIMEOUTS = ClientTimeouts.defaults();

    final SimServer sim;
    final EventLoopTransport transport;
    final LlmClient client;

    private LoopSimulator(SimServer sim, EventLoopTransport transport) {
        this.sim = sim;
        this.transport = transport;
        this.client = chatClient(transport);
    }

    /** Starts the simulator ({@code zero} preset) and the transport. */
    static LoopSimulator start() {
        SimServer sim = SimServer.start(SimConfig.preset("zero"));
        try {
            return new LoopSimulator(sim, new EventLoopTransport(TIMEOUTS));
        } catch (RuntimeException | Error e) {
            sim.close();
            throw e;
        }
    }

    /** A chat client of the simulator on {@code transport}, which stays the caller's to close. */
    LlmClient chatClient(ClientTransport transport) {
        return new LlmClient(
                transport,
                new Target(sim.baseUrl(), Api.OPENAI_CHAT, sim.config().model(), null, null, true),
                TokenCounter.contentEvents(),
                TIMEOUTS);
    }

    @Override
    public void close() {
        try {
            transport.close();
        } finally {
            sim.close();
        }
    }
}
