package dev.llmharness.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmharness.runtime.metrics.SchedulerCounters.ThreadCounters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A window's figure is the difference of two reads, thread by thread: on synthetic reads, threads
 * born, ended, reused and left out come out as the class says; on this machine, a read sees this
 * very thread.
 */
class SchedulerCountersTest {
    private static ThreadCounters counted(long cpu, long wait, long slices) {
        return new ThreadCounters(true, cpu, wait, slices);
    }

    @Test
    void aThreadAliveAtBothReadsCountsItsDifference() {
        SchedulerCounters first = new SchedulerCounters(1_000, Map.of(11L, counted(5_000, 700, 10)));
        SchedulerCounters last = new SchedulerCounters(31_000, Map.of(11L, counted(9_000, 1_000, 25)));

        assertThat(first.until(last)).isEqualTo(new SchedulerCounters.Delta(30_000, 4_000, 300, 15, 0));
    }

    @Test
    void aThreadBornInsideTheWindowCountsFromZeroAndOneThatEndedIsLost() {
        SchedulerCounters first = new SchedulerCounters(
                0,
                Map.of(
                        1L, counted(1_000, 100, 5),
                        2L, counted(50_000, 9_000, 400))); // ends before the second read
        SchedulerCounters last = new SchedulerCounters(
                10_000,
                Map.of(
                        1L, counted(1_600, 130, 9),
                        3L, counted(2_000, 250, 7))); // born after the first read

        SchedulerCounters.Delta d = first.until(last);

        // Thread 1's difference plus thread 3 whole; thread 2's counters are gone with it.
        assertThat(d.onCpuNanos()).isEqualTo(600 + 2_000);
        assertThat(d.runQueueWaitNanos()).isEqualTo(30 + 250);
        assertThat(d.timeslices()).isEqualTo(4 + 7);
        assertThat(d.lostThreads()).isEqualTo(1);
        assertThat(d.spanNanos()).isEqualTo(10_000);
    }

    @Test
    void aThreadIdReusedByANewThreadCountsTheNewThreadFromZero() {
        // The kernel reuses a TID only after the old thread ended: counters below the first read's
        // are a new thread's, from its birth inside the window.
        SchedulerCounters first = new SchedulerCounters(0, Map.of(7L, counted(80_000, 4_000, 300)));
        SchedulerCounters last = new SchedulerCounters(5_000, Map.of(7L, counted(1_200, 90, 3)));

        assertThat(first.until(last)).isEqualTo(new SchedulerCounters.Delta(5_000, 1_200, 90, 3, 0));
    }

    @Test
    void threadsLeftOutAddNothingAndAreNotTakenForThreadsBornLater() {
        // Thread 4 counted at the first read and left out at the second (it demoted itself to
        // idle priority): neither its counters nor a "lost" thread. Thread 5 left out at the first
        // and counted at the second is the same thread: its difference counts, not its whole life.
        SchedulerCounters first = new SchedulerCounters(
                0,
                Map.of(
                        4L, counted(100, 10, 1),
                        5L, new ThreadCounters(false, 7_000, 3_000, 60),
                        6L, new ThreadCounters(false, 1_000, 900, 9)));
        SchedulerCounters last = new SchedulerCounters(
                1_000,
                Map.of(
                        4L, new ThreadCounters(false, 5_000, 4_000, 20),
                        5L, counted(7_500, 3_100, 64),
                        6L, new ThreadCounters(false, 9_000, 8_000, 90)));

        assertThat(first.until(last)).isEqualTo(new SchedulerCounters.Delta(1_000, 500, 100, 4, 0));
    }

    @Test
    void theCompilersTheSimulatorTheReaderAndIdleThreadsAreLeftOutAndTheRestCount() {
        assertThat(SchedulerCounters.counted("C2 CompilerThre", 0)).isFalse();
        assertThat(SchedulerCounters.counted("C1 CompilerThre", 0)).isFalse();
        assertThat(SchedulerCounters.counted("llmh-sim-io-1-1", 0)).isFalse();
        assertThat(SchedulerCounters.counted(SchedulerCounters.READER_THREAD, 0))
                .isFalse();
        assertThat(SchedulerCounters.counted("llmh-progress", SchedulerCounters.SCHED_IDLE))
                .isFalse();
        // The readers and senders, the garbage collector, and a thread whose policy is unknown.
        assertThat(SchedulerCounters.counted("llmh-loop-1-1", 0)).isTrue();
        assertThat(SchedulerCounters.counted("ForkJoinPool-1-", 0)).isTrue();
        assertThat(SchedulerCounters.counted("llmh-dispatch-1", 0)).isTrue();
        assertThat(SchedulerCounters.counted("GC Thread#0", 0)).isTrue();
        assertThat(SchedulerCounters.counted("OkHttp TaskRunn", -1)).isTrue();
    }

    @Test
    void statAndSchedstatLinesAreReadWhateverTheThreadsNameHolds() {
        // A name with spaces and parentheses: comm runs to the last ')'. Policy is field 41.
        StringBuilder stat = new StringBuilder("4242 (a (b) c) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 41 ? SchedulerCounters.SCHED_IDLE : field);
        }
        stat.append('\n');
        assertThat(SchedulerCounters.comm(stat.toString())).isEqualTo("a (b) c");
        assertThat(SchedulerCounters.policy(stat.toString())).isEqualTo(SchedulerCounters.SCHED_IDLE);
        assertThat(SchedulerCounters.policy("4242 (short) S 1 2")).isEqualTo(-1);
        assertThat(SchedulerCounters.comm("no name")).isEmpty();

        assertThat(SchedulerCounters.parse(true, "220837323 57750064 509\n"))
                .isEqualTo(counted(220_837_323L, 57_750_064L, 509));
        assertThat(SchedulerCounters.parse(true, "220837323 57750064")).isNull();
        assertThat(SchedulerCounters.parse(true, "a b c")).isNull();
    }

    @Test
    void onLinuxAReadSeesThisThreadAndItsCountersOnlyGrow() {
        if (!SchedulerCounters.available()) {
            assertThat(SchedulerCounters.read()).as("no counters, no figure").isNull();
        }
        assumeTrue(
                SchedulerCounters.available(),
                "no /proc/self/schedstat here (not Linux, or a kernel without schedstats): the figure is"
                        + " absent, as checked above");
        SchedulerCounters first = SchedulerCounters.read();
        long spin = 0;
        for (int i = 0; i < 5_000_000; i++) {
            spin += i % 7; // some CPU for this thread between the reads
        }
        SchedulerCounters last = SchedulerCounters.read();

        assertThat(spin).isPositive();
        assertThat(first).isNotNull();
        assertThat(last).isNotNull();
        assertThat(first.threads().values()).anyMatch(ThreadCounters::counted);
        SchedulerCounters.Delta d = first.until(last);
        assertThat(d.spanNanos()).isPositive();
        assertThat(d.onCpuNanos()).isPositive();
        assertThat(d.runQueueWaitNanos()).isNotNegative();
        assertThat(d.timeslices()).isNotNegative();
    }
}
