package dev.llmharness.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.load.ArrivalSchedule;
import dev.llmharness.runtime.load.ArrivalTrace;
import dev.llmharness.runtime.load.ScheduleCursor;
import dev.llmharness.runtime.load.TraceSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsAnAzureLlmInferenceTraceWithItsTokenCounts() throws IOException {
        Path file = write("azure.csv", """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2023-11-16 18:15:46.6805900,374,44
                2023-11-16 18:15:50.9951690,396,109
                2023-11-16 18:15:51.2,879,34
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(trace.size()).isEqualTo(3);
        assertThat(trace.offsetNanos(0)).isZero();
        assertThat(trace.offsetNanos(1)).isEqualTo(4_314_579_000L);
        assertThat(trace.offsetNanos(2)).isEqualTo(4_519_410_000L);
        assertThat(trace.inputTokens(1)).isEqualTo(396);
        assertThat(trace.outputTokens(2)).isEqualTo(34);
    }

    @Test
    void readsAMooncakeTraceIgnoringItsHashIds() throws IOException {
        Path file = write("mooncake.jsonl", """
                {"timestamp": 0, "input_length": 6755, "output_length": 500, "hash_ids": [0, 1, 2]}
                {"timestamp": 3052, "input_length": 7319, "output_length": 490, "hash_ids": [0, 14]}

                {"timestamp": 1000.5, "input_length": 7234}
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        // Sorted by time: the 1000.5 ms line comes second.
        assertThat(trace.offsetNanos(1)).isEqualTo(1_000_500_000L);
        assertThat(trace.outputTokens(1)).isEqualTo(ArrivalTrace.UNKNOWN);
        assertThat(trace.offsetNanos(2)).isEqualTo(3_052_000_000L);
        assertThat(trace.inputTokens(2)).isEqualTo(7319);
    }

    @Test
    void aTraceScheduleReplaysTheRecordedInstantsExactlyAndEnds() throws IOException {
        Path file = write("t.jsonl", """
                {"timestamp": 0}
                {"timestamp": 0}
                {"timestamp": 250}
                {"timestamp": 1999}
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        ScheduleCursor real = new ScheduleCursor(new TraceSchedule(trace, 1), 0, 1);
        assertThat(new long[] {real.next(), real.next(), real.next(), real.next(), real.next()})
                .containsExactly(0, 0, 250_000_000L, 1_999_000_000L, ArrivalSchedule.END);
        ScheduleCursor twice = new ScheduleCursor(new TraceSchedule(trace, 2), 0, 1);
        twice.next();
        twice.next();
        assertThat(twice.next()).isEqualTo(125_000_000L);
        assertThat(twice.next()).isEqualTo(999_500_000L);
        assertThat(twice.next()).isEqualTo(ArrivalSchedule.END);
        // Three arrivals in the first recorded second; the peak one-second window holds 3.
        assertThat(new TraceSchedule(trace, 1).rateAt(0)).isEqualTo(3);
        assertThat(new TraceSchedule(trace, 1).peakRate()).isEqualTo(3);
    }

    @Test
    void badTracesFailWithTheLineAndTheFix() throws IOException {
        assertThatThrownBy(
                        () -> TraceReader.read(write("a.csv", "time,in\n1,2\n").toString()))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("line 1: an Azure LLM inference trace needs a TIMESTAMP column");
        assertThatThrownBy(() -> TraceReader.read(
                        write("b.csv", "TIMESTAMP,ContextTokens\n2023-11-16 18:15:46,10\nyesterday,3\n")
                                .toString()))
                .hasMessageContaining(
                        "line 3: TIMESTAMP \"yesterday\" is not a date-time like 2023-11-16 18:15:46.6805900");
        assertThatThrownBy(() -> TraceReader.read(write("c.jsonl", "{\"timestamp\": 1}\n{\"input_length\": 3}\n")
                        .toString()))
                .hasMessageContaining("line 2: a Mooncake trace line needs \"timestamp\"");
        assertThatThrownBy(() -> TraceReader.read(write("d.jsonl", "{\"timestamp\": 1, \"input_length\": -3}\n")
                        .toString()))
                .hasMessageContaining("\"input_length\" must be a whole number of tokens >= 0");
        assertThatThrownBy(() -> TraceReader.read(write("e.txt", "").toString()))
                .hasMessageContaining("name it .csv (Azure LLM inference trace");
        assertThatThrownBy(() -> TraceReader.read(dir.resolve("missing.csv").toString()))
                .hasMessageContaining("trace file not found");
        assertThatThrownBy(() -> TraceReader.read(write("f.jsonl", "\n").toString()))
                .hasMessageContaining("has no requests");
        assertThatThrownBy(() -> TraceReader.read(write("g.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n")
                        .toString()))
                .hasMessageContaining("has no requests");
        // Timestamps that do not fit a replay: an overflow would have made a span of 292 years, or
        // a negative one.
        assertThatThrownBy(() -> TraceReader.read(write("h.jsonl", "{\"timestamp\": 5}\n{\"timestamp\": 1e30}\n")
                        .toString()))
                .hasMessageContaining("line 2: \"timestamp\" 1.0E30 ms is more than 292 years after the first request");
        assertThatThrownBy(
                        () -> TraceReader.read(write("i.csv", "TIMESTAMP\n1700-01-01 00:00:00\n2200-01-01 00:00:00\n")
                                .toString()))
                .hasMessageContaining("spans more than 292 years");
        // Unsorted arrivals are sorted; an empty length takes the workload's prompt.
        ArrivalTrace unsorted = TraceReader.read(write(
                        "j.csv",
                        "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:49,10,\n2023-11-16 18:15:47,12,4\n")
                .toString());
        assertThat(unsorted.offsetNanos(1)).isEqualTo(2_000_000_000L);
        assertThat(unsorted.inputTokens(0)).isEqualTo(12);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
