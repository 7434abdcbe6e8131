package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.EventLoopTransport;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The open loop on the event loop with {@code llmh.loopDispatch=loop} ({@link
 * TrialRunner#dispatchOnLoop}), against the simulator on loopback: the loop walks the schedule,
 * builds each request and sends it at its instant, with no dispatcher thread and no request thread,
 * and every request is still accounted for exactly once at its exact scheduled instant.
 */
class LoopDispatchTrialTest {
    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20));

    @Test
    void anOpenLoopTrialOnTheEventLoopKeepsItsScheduleAndCountsEveryRequestWithoutAThreadPerArrival() throws Exception {
        int warmup = 20;
        int measured = 300;
        long gap = 5_000_000L; // 200 requests/s, constant: instant i is exactly i gaps after instant 0
        TrialSpec spec = TestTrials.trial(
                "open",
                new OpenLoopModel(Arrival.CONSTANT, 200, 0),
                Phase.ofRequests(warmup),
                Phase.ofRequests(measured),
                Duration.ofSeconds(10),
                SloSpec.NONE);
        ConcurrentLinkedQueue<RequestTiming> ended = new ConcurrentLinkedQueue<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (SimServer server = SimServer.start(SimConfig.preset("zero"));
                EventLoopTransport transport = new EventLoopTransport(TIMEOUTS)) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(server.baseUrl(), Api.OPENAI_CHAT, "sim-llm", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        threads.add(t.getName());
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            TrialResult r;
            try {
                r = new TrialRunner(
                                spec,
                                TestTrials.CHAT,
                                TestTrials.PROMPTS,
                                client,
                                null,
                                new PrintStream(new ByteArrayOutputStream()))
                        .preopen(Preopen.OFF)
                        .dispatchOnLoop(true)
                        .onRequestEnded(ended::add)
                        .run();
            } finally {
                watcher.interrupt();
                watcher.join();
            }

            assertThat(r.counts().sent()).isEqualTo(measured);
            assertThat(r.counts().completed()).isEqualTo(measured);
            List<RequestTiming> all = new ArrayList<>(ended);
            all.sort((a, b) -> Long.compare(a.index(), b.index()));
            // Each request of the warmup and the window ended exactly once, completed.
            assertThat(all).hasSize(warmup + measured);
            long first = all.get(0).intendedStart();
            for (int i = 0; i < all.size(); i++) {
                RequestTiming t = all.get(i);
                assertThat(t.index()).isEqualTo(i);
                assertThat(t.outcome()).as("request %d", i).isEqualTo(Outcome.COMPLETED);
                // The drift-free schedule, to the nanosecond, and never sent before its instant.
                assertThat(t.intendedStart() - first).as("request %d", i).isEqualTo(i * gap);
                assertThat(t.sent() - t.intendedStart()).as("request %d", i).isGreaterThanOrEqualTo(0L);
            }
            // The loop walked the schedule: no dispatcher thread, and no request got a thread.
            assertThat(threads).anyMatch(n -> n.startsWith("llmh-loop"));
            assertThat(threads).noneMatch(n -> n.startsWith("llmh-dispatch") || n.startsWith("llmh-request"));
        }
    }
}
