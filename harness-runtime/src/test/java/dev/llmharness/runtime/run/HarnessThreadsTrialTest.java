package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import dev.llmharness.runtime.metrics.SchedulerCounters;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real trial against the simulator on loopback records what its threads got from the CPU over
 * its window ({@code window.harnessThreads}) on Linux, for a window bounded by time and one bounded
 * by a request count, and records nothing (rather than a made-up figure) where the counters cannot
 * be read. What the figures are depends on the machine: only their presence and consistency are
 * checked, no timing.
 */
class HarnessThreadsTrialTest {
    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20));

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of(
                        "timed", Phase.ofDuration(Duration.ofMillis(400)), Phase.ofDuration(Duration.ofSeconds(1))),
                Arguments.of("counted", Phase.ofRequests(10), Phase.ofRequests(40)));
    }

    private static TrialResult run(Phase warmup, Phase measurement) throws InterruptedException {
        TrialSpec spec = TestTrials.trial(
                "open",
                new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                warmup,
                measurement,
                Duration.ofSeconds(10),
                SloSpec.NONE);
        try (SimServer server = SimServer.start(SimConfig.preset("zero"));
                EventLoopTransport transport = new EventLoopTransport(TIMEOUTS)) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(server.baseUrl(), Api.OPENAI_CHAT, "sim-llm", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            return new TrialRunner(
                            spec,
                            TestTrials.CHAT,
                            TestTrials.PROMPTS,
                            client,
                            null,
                            new PrintStream(new ByteArrayOutputStream()))
                    .preopen(Preopen.OFF)
                    .run();
        }
    }

    @ParameterizedTest(name = "{0} window")
    @MethodSource("windows")
    void aTrialRecordsItsThreadsRunQueueWaitAndCpuOverItsWindowOnLinux(String kind, Phase warmup, Phase measurement)
            throws Exception {
        TrialResult r = run(warmup, measurement);
        assertThat(r.counts().completed()).isPositive();
        TrialResult.HarnessThreads threads = r.window().harnessThreads();
        if (!SchedulerCounters.available()) {
            assertThat(threads).as("no counters here: absent, not made up").isNull();
        }
        assumeTrue(
                SchedulerCounters.available(),
                "no /proc/self/schedstat here (not Linux, or a kernel without schedstats): the trial"
                        + " recorded no harness threads figure, as checked above");

        assertThat(threads).as("window.harnessThreads of a %s window", kind).isNotNull();
        assertThat(threads.seconds()).isPositive();
        // The loop read and recorded every token of the window: its threads ran.
        assertThat(threads.onCpuMs()).isPositive();
        assertThat(threads.timeslices()).isPositive();
        assertThat(threads.runQueueWaitMs()).isNotNegative();
        double share = threads.runQueueWaitMs() / (threads.seconds() * 1e3);
        assertThat(threads.runQueueWaitShare()).isCloseTo(share, within(1e-6 + share / 100));
        // Whether it warned depends on the machine; the warning and the figure agree.
        assertThat(r.warnings().stream().anyMatch(w -> w.startsWith("busy CPU:")))
                .isEqualTo(threads.busy());
    }

    @Test
    void withoutTheCountersNothingIsReadAndTheFigureIsAbsent() throws InterruptedException {
        HarnessThreadsWindow none = new HarnessThreadsWindow(false);
        assertThat(none.awaitsOpening()).isFalse();
        none.opensAt(System.nanoTime());
        none.closesAt(System.nanoTime());
        assertThat(none.figure()).isNull();
    }

    @Test
    void aWindowThatClosedBeforeItOpenedHasNoFigure() throws InterruptedException {
        // Interrupted in the warmup's last moments: the closing read would come before the opening one.
        HarnessThreadsWindow interrupted = new HarnessThreadsWindow(true);
        long now = System.nanoTime();
        interrupted.opensAt(now + 60_000_000_000L);
        assertThat(interrupted.awaitsOpening()).isFalse();
        interrupted.closesAt(now);
        assertThat(interrupted.figure()).isNull();
    }
}
