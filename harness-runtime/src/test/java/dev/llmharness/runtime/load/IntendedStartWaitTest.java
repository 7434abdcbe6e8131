package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IntendedStartWaitTest {
    @Test
    void neverReturnsBeforeTheInstantWithOrWithoutASpin() {
        for (long spin : new long[] {0, OpenLoopDriver.SPIN_NANOS}) {
            for (int i = 0; i < 20; i++) {
                long deadline = System.nanoTime() + 200_000L;
                IntendedStartWait.until(deadline, spin);
                assertThat(System.nanoTime() - deadline).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void spinsOnlyWithASpareCpu() {
        assertThat(IntendedStartWait.SPIN).isEqualTo(Runtime.getRuntime().availableProcessors() > 1);
    }

    @Test
    void requestThreadsNarrowTheirTimerSlackWhereLinuxLetsThem() throws Exception {
        ExecutorService executor =
                java.util.concurrent.Executors.newSingleThreadExecutor(RequestThreads.daemonFactory("slack"));
        try {
            Future<Long> slack = executor.submit(TimerSlack::current);
            boolean linux = java.nio.file.Files.exists(java.nio.file.Path.of("/proc/thread-self"));
            assertThat(slack.get()).isEqualTo(linux ? TimerSlack.SLACK_NANOS : -1L);
        } finally {
            executor.shutdownNow();
        }
    }
}
