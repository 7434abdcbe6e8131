package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ArrivalTraceTest {
    /** More rows than three chunks hold, so that every test crosses chunk boundaries. */
    private static final int ROWS = 3 * ArrivalTrace.CHUNK + 1234;

    @Test
    void rowsInTimeOrderKeepTheirTimesAndLengthsAcrossChunks() {
        ArrivalTrace.Builder b = ArrivalTrace.builder("ordered");
        long epoch = 1_700_000_000_000_000_000L;
        for (int i = 0; i < ROWS; i++) {
            // Every tenth request at the instant of the one before it.
            b.add(epoch + (i - i / 10) * 1_000_000L, i % 7 == 0 ? ArrivalTrace.UNKNOWN : i, i % 5);
        }
        ArrivalTrace trace = b.build();
        assertThat(trace.size()).isEqualTo(ROWS);
        assertThat(trace.source()).isEqualTo("ordered");
        for (int i = 0; i < ROWS; i++) {
            assertThat(trace.offsetNanos(i)).as("offset %d", i).isEqualTo((i - i / 10) * 1_000_000L);
            assertThat(trace.inputTokens(i)).isEqualTo(i % 7 == 0 ? ArrivalTrace.UNKNOWN : i);
            assertThat(trace.outputTokens(i)).isEqualTo(i % 5);
            assertThat(trace.hasLengths(i)).isEqualTo(i % 7 != 0 && i % 5 != 0 && i != 0);
        }
        long expectedWithLengths =
                IntStream.range(1, ROWS).filter(i -> i % 7 != 0 && i % 5 != 0).count();
        assertThat(trace.requestsWithLengths()).isEqualTo((int) expectedWithLengths);
        assertThat(trace.spanNanos()).isEqualTo((ROWS - 1 - (ROWS - 1) / 10) * 1_000_000L);
    }

    @Test
    void rowsOutOfOrderAreSortedByTimeAndEqualTimesKeepTheFilesOrder() {
        SplittableRandom random = new SplittableRandom(7);
        long[] at = new long[ROWS];
        ArrivalTrace.Builder b = ArrivalTrace.builder("shuffled");
        for (int i = 0; i < ROWS; i++) {
            // About 1,000 distinct instants: many rows share one, in file order.
            at[i] = 5_000_000_000L + random.nextInt(1000) * 1_000_000L;
            b.add(at[i], i, ROWS - i);
        }
        ArrivalTrace trace = b.build();
        // What a stable sort of the rows by time gives: the reference for the trace's own sort.
        Integer[] expected = IntStream.range(0, ROWS).boxed().toArray(Integer[]::new);
        Arrays.sort(expected, Comparator.comparingLong(i -> at[i]));
        long first = at[expected[0]];
        assertThat(trace.size()).isEqualTo(ROWS);
        for (int k = 0; k < ROWS; k++) {
            int row = expected[k];
            assertThat(trace.inputTokens(k)).as("position %d", k).isEqualTo(row);
            assertThat(trace.outputTokens(k)).isEqualTo(ROWS - row);
            assertThat(trace.offsetNanos(k)).isEqualTo(at[row] - first);
        }
        assertThat(trace.offsetNanos(0)).isZero();
    }

    @Test
    void aTraceWithoutLengthsHasNone() {
        ArrivalTrace.Builder b = ArrivalTrace.builder("times only");
        for (int i = 0; i < 10; i++) {
            b.add(i * 1000L, ArrivalTrace.UNKNOWN, ArrivalTrace.UNKNOWN);
        }
        ArrivalTrace trace = b.build();
        assertThat(trace.requestsWithLengths()).isZero();
        assertThat(trace.inputTokens(3)).isEqualTo(ArrivalTrace.UNKNOWN);
        assertThat(trace.outputTokens(9)).isEqualTo(ArrivalTrace.UNKNOWN);
        assertThat(trace.hasLengths(0)).isFalse();
    }

    @Test
    void emptyTracesAndInstantsCenturiesApartAreRefusedNamingTheSource() {
        assertThatThrownBy(() -> ArrivalTrace.builder("none.csv").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace file none.csv has no requests");
        ArrivalTrace.Builder far = ArrivalTrace.builder("far.csv");
        far.add(Long.MIN_VALUE / 2 - 10, 1, 1).add(Long.MAX_VALUE / 2 + 10, 1, 1);
        assertThatThrownBy(far::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trace file far.csv spans more than 292 years");
        ArrivalTrace.Builder once = ArrivalTrace.builder("once.csv").add(0, 1, 1);
        once.build();
        assertThatThrownBy(() -> once.add(1, 1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void arraysAreCopiedInAndCheckedAsBefore() {
        long[] offsets = {0, 5, 5, 9};
        int[] input = {1, 2, 3, 4};
        int[] output = {4, 3, 2, ArrivalTrace.UNKNOWN};
        ArrivalTrace trace = new ArrivalTrace("arrays", offsets, input, output);
        offsets[3] = 1_000;
        input[0] = 99;
        assertThat(trace.offsetNanos(3)).isEqualTo(9);
        assertThat(trace.inputTokens(0)).isEqualTo(1);
        assertThat(trace.requestsWithLengths()).isEqualTo(3);
        assertThatThrownBy(() -> new ArrivalTrace("late", new long[] {1, 2}, new int[2], new int[2]))
                .hasMessage("late: the first arrival must be at offset 0, got 1 ns");
        assertThatThrownBy(() -> new ArrivalTrace("back", new long[] {0, 5, 4}, new int[3], new int[3]))
                .hasMessage("back: arrival 2 is earlier than the one before it");
        assertThatThrownBy(() -> new ArrivalTrace("empty", new long[0], new int[0], new int[0]))
                .hasMessage("empty: the trace has no requests");
    }
}
