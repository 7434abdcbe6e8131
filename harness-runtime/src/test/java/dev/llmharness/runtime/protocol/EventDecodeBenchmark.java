package dev.llmharness.runtime.protocol;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one OpenAI stream's events three ways, with and without the text (a token counter wants
 * it; the selfbench's trials do): {@code memo}, the fast path as the client runs it (an event with
 * the last content event's shape is read from it, the others scanned: {@link
 * OpenAiEventParser#fast}); {@code scanner}, every event scanned (the fast path before the shape
 * was remembered); {@code jackson}, Jackson alone. The stream is the simulator's: a role chunk,
 * 128 one-token chunks, a usage chunk. Figures are per event; run with {@code -prof gc} for bytes
 * allocated per event (the decoder is made per stream, as each request makes one, so its Jackson
 * parser counts where it is made).
 *
 * <p>Run: see {@code docs/performance.md} ("CPU per request").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventDecodeBenchmark {
    static final int TOKENS = 128;

    @Param({"memo", "scanner", "jackson"})
    public String decoder;

    @Param({"true", "false"})
    public boolean wantText;

    private byte[][] events;

    @Setup
    public void setUp() {
        String head = "{\"id\":\"chatcmpl-llmh-000000000042\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1795422772,\"model\":\"sim\",\"choices\":[";
        events = new byte[TOKENS + 2][];
        events[0] = (head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"logprobs\":null,\"finish_reason\":null}]}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i <= TOKENS; i++) {
            events[i] = (head + "{\"index\":0,\"delta\":{\"content\":\" word" + i % 10 + "\"},\"logprobs\":null,"
                            + "\"finish_reason\":" + (i == TOKENS ? "\"length\"" : "null") + "}]}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        events[TOKENS + 1] = (head.replace("\"choices\":[", "\"choices\":[],")
                        + "\"usage\":{\"prompt_tokens\":128,\"completion_tokens\":128,\"total_tokens\":256}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One stream: a new decoder (as each request makes one), every event decoded, then closed. */
    @Benchmark
    @OperationsPerInvocation(TOKENS + 2)
    public int decodeStream() {
        OpenAiEventParser p = new OpenAiEventParser(wantText, !decoder.equals("jackson"), decoder.equals("memo"));
        int content = 0;
        for (byte[] e : events) {
            if (p.decode(e, 0, e.length) == EventDecoder.Kind.CONTENT) {
                content++;
            }
        }
        p.close();
        return content + p.completionTokens();
    }
}
