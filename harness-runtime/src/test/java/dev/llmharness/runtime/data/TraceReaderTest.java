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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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

    /** The 2024 traces (DynamoLLM, a week each) write an offset after microseconds. */
    @Test
    void readsA2024AzureTraceWhoseTimestampsCarryAnOffset() throws IOException {
        Path file = write("azure2024.csv", """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2024-05-10 00:00:00.009930+00:00,2162,5
                2024-05-10 00:00:00.014601+00:00,1200,12
                2024-05-10 00:00:01+00:00,37,1
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(trace.size()).isEqualTo(3);
        assertThat(trace.offsetNanos(1)).isEqualTo(4_671_000L);
        assertThat(trace.offsetNanos(2)).isEqualTo(990_070_000L);
        assertThat(trace.inputTokens(0)).isEqualTo(2162);
        assertThat(trace.outputTokens(2)).isEqualTo(1);
    }

    @Test
    void offsetsPutEveryRowOnOneScale() throws IOException {
        // Each row is 00:00:0N UTC written another way; the file is in no time order.
        Path file = write("offsets.csv", """
                TIMESTAMP,ContextTokens,GeneratedTokens
                2024-05-10 05:30:03+0530,3,1
                2024-05-10T02:00:00+02:00,0,1
                2024-05-10 00:00:00.5Z,1,1
                2024-05-10 00:00:01,2,1
                2024-05-09 20:00:02-04:00,4,1
                2024-05-10 05:00:04+05,5,1
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(trace::offsetNanos))
                .containsExactly(0L, 500_000_000L, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L, 4_000_000_000L);
        assertThat(List.of(0, 1, 2, 3, 4, 5).stream().map(trace::inputTokens)).containsExactly(0, 1, 2, 4, 3, 5);
    }

    /** What pandas' {@code DataFrame.to_csv} writes by default: an index column with no name. */
    @Test
    void aPandasExportWithAnUnnamedIndexColumnIsRead() throws IOException {
        Path file = write("pandas.csv", """
                ,TIMESTAMP,ContextTokens,GeneratedTokens
                0,2023-11-16 18:15:46.6805900,374,44
                1,2023-11-16 18:15:50.9951690,396,109
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(trace.size()).isEqualTo(2);
        assertThat(trace.offsetNanos(1)).isEqualTo(4_314_579_000L);
        assertThat(trace.inputTokens(0)).isEqualTo(374);
        assertThat(trace.outputTokens(1)).isEqualTo(109);
    }

    @Test
    void otherColumnsInAnyOrderAreIgnored() throws IOException {
        Path file = write("extra.csv", """
                ,GeneratedTokens,Deployment,TIMESTAMP,,ContextTokens
                7,44,east,2023-11-16 18:15:46.6805900,x,374
                8,109,west,2023-11-16 18:15:50.9951690,y,396
                """);
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(trace.offsetNanos(1)).isEqualTo(4_314_579_000L);
        assertThat(trace.inputTokens(1)).isEqualTo(396);
        assertThat(trace.outputTokens(0)).isEqualTo(44);
    }

    /**
     * The hand-written parser against java.time's on random instants written in every accepted
     * way: with or without a fraction of 1 to 9 digits, a space or a T, no offset (UTC), Z, or an
     * offset as +HH:MM, +HHMM or +HH.
     */
    @Test
    void theTimestampParserAgreesWithJavaTime() {
        SplittableRandom random = new SplittableRandom(2024);
        long from = Instant.parse("1700-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2260-01-01T00:00:00Z").getEpochSecond();
        for (int k = 0; k < 20_000; k++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), random.nextInt(1_000_000_000));
            int digits = random.nextInt(10); // 0: no fraction
            int style = random.nextInt(5);
            // Whole hours, or quarter hours for the styles that have minutes: as real offsets are.
            ZoneOffset offset = style == 0 || style == 1
                    ? ZoneOffset.UTC
                    : style == 4
                            ? ZoneOffset.ofHours(random.nextInt(-18, 19))
                            : ZoneOffset.ofTotalSeconds(random.nextInt(-72, 73) * 900);
            LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
            String hhmm = offset.getId().equals("Z") ? "+00:00" : offset.getId();
            String zone = switch (style) {
                case 0 -> "";
                case 1 -> "Z";
                case 2 -> hhmm;
                case 3 -> hhmm.replace(":", "");
                default -> hhmm.substring(0, 3);
            };
            String fraction = digits == 0
                    ? ""
                    : "." + String.format(Locale.ROOT, "%09d", local.getNano()).substring(0, digits);
            String text = local.format(DateTimeFormatter.ofPattern(
                            "yyyy-MM-dd" + (random.nextBoolean() ? " " : "'T'") + "HH:mm:ss", Locale.ROOT))
                    + fraction
                    + zone;
            long truncated = instant.getNano() - local.getNano() % (long) Math.pow(10, 9 - digits);
            long expected = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), truncated);
            assertThat(dev.llmharness.api.spi.TraceTimestamps.nanos(text))
                    .as(text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void whatIsNotSuchADateTimeIsRefused() throws IOException {
        for (String bad : List.of(
                "2023-02-30 00:00:00",
                "2023-11-16 24:00:00",
                "2023-11-16 18:60:00",
                "2023-11-16 18:15:46.",
                "2023-11-16 18:15:46.1234567890",
                "2023-11-16 18:15:46+25:00",
                "2023-11-16 18:15:46+00:0",
                "2023-11-16 18:15:46+00:00:00",
                "2023-11-16 18:15:46 UTC",
                "2023-11-16 18:15:46Zjunk",
                "2023-11-16",
                "2023/11/16 18:15:46",
                "2023-11-16  18:15:46",
                "12",
                "1700000000.5")) {
            assertThatThrownBy(() -> dev.llmharness.api.spi.TraceTimestamps.nanos(bad))
                    .as(bad)
                    .isInstanceOf(DateTimeException.class);
        }
        assertThatThrownBy(() -> dev.llmharness.api.spi.TraceTimestamps.nanos("1600-01-01 00:00:00"))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(
                        () -> TraceReader.read(write("far.csv", "TIMESTAMP\n2023-11-16 18:15:46\n1600-01-01 00:00:00\n")
                                .toString()))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining(
                        "far.csv line 3: TIMESTAMP \"1600-01-01 00:00:00\" is outside 1677-09-22 to" + " 2262-04-11");
        assertThatThrownBy(() -> TraceReader.read(
                        write("tz.csv", "TIMESTAMP\n2024-05-10 00:00:00.009930+00:00\n2024-05-10 00:00:01 CEST\n")
                                .toString()))
                .hasMessageContaining("tz.csv line 3: TIMESTAMP \"2024-05-10 00:00:01 CEST\" is not a date-time like"
                        + " 2023-11-16 18:15:46.6805900 or 2024-05-10 00:00:00.009930+00:00");
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

    /**
     * A relative trace path is read against the benchmark module's base directory, -Dllmh.baseDir
     * (which the Maven plugin sets), wherever the JVM runs (here the runtime module's directory):
     * the file the processor read at compile time. A file not there names the path as resolved and
     * the rule; without the property the base is the working directory, and the message says so.
     */
    @Test
    void aRelativeTracePathIsReadFromTheModulesBaseDirectory() throws IOException {
        Path module = dir.resolve("app");
        Files.createDirectories(module.resolve("traces"));
        Files.writeString(module.resolve("traces/t.jsonl"), "{\"timestamp\": 0}\n{\"timestamp\": 2000}\n");
        assertThat(Path.of("traces/t.jsonl").toAbsolutePath()).doesNotExist();
        String before = System.getProperty(BaseDir.PROPERTY);
        try {
            System.setProperty(BaseDir.PROPERTY, module.toString());
            assertThat(TraceReader.read("traces/t.jsonl").spanNanos()).isEqualTo(2_000_000_000L);
            assertThatThrownBy(() -> TraceReader.read("traces/missing.jsonl"))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessage("trace file not found: traces/missing.jsonl (looked for "
                            + module.resolve("traces/missing.jsonl") + ": a relative trace path is relative to the"
                            + " benchmark module's base directory, -Dllmh.baseDir=" + module + "); download the trace"
                            + " (see docs/load.md) or fix the path");

            System.setProperty(BaseDir.PROPERTY, dir.resolve("nowhere").toString());
            assertThatThrownBy(() -> TraceReader.read("traces/t.jsonl"))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageStartingWith("-Dllmh.baseDir=" + dir.resolve("nowhere") + " is not a directory (not"
                            + " found), so the relative trace path traces/t.jsonl cannot be resolved");

            System.clearProperty(BaseDir.PROPERTY);
            assertThatThrownBy(() -> TraceReader.read("traces/t.jsonl"))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageContaining("not found: traces/t.jsonl (looked for "
                            + Path.of("traces/t.jsonl").toAbsolutePath().normalize()
                            + ": a relative trace path is relative to the benchmark module's base directory,"
                            + " -Dllmh.baseDir, which is not set (the Maven plugin sets it), so to the working"
                            + " directory " + Path.of("").toAbsolutePath() + ")");
        } finally {
            if (before == null) {
                System.clearProperty(BaseDir.PROPERTY);
            } else {
                System.setProperty(BaseDir.PROPERTY, before);
            }
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
