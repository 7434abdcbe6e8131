package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.protocol.EventDecoder;
import dev.llmharness.runtime.protocol.FrameReader;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.Protocols;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.sse.internal.ServerSentEventReader;
import okio.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event hot path: reading one SSE event from the stream's buffer, parsing its JSON,
 * noting it in the request's timing record, and (once per stream) recording the request into the
 * trial's histograms. Figures are per event ({@code @OperationsPerInvocation}); run with {@code
 * -prof gc} for bytes allocated per event. The okhttp-sse variant reads the same bytes with
 * OkHttp's own SSE reader, which makes a {@code String} per event, for the "which reader" choice.
 *
 * <p>Run: see {@code docs/metrics.md} ("Measuring the event path").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventPathBenchmark {
    static final int EVENTS = 1_000;

    private byte[] stream;
    private TrialRecorder recorder;
    private Protocol protocol;
    private EventDecoder parser;
    private int firstLength;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            // A vLLM-shaped chunk: about 230 bytes, one token of text.
            b.append("data: {\"id\":\"chatcmpl-8f2c1e0a9b7d4c3e\",\"object\":\"chat.completion.chunk\",")
                    .append("\"created\":1795422772,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",")
                    .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word")
                    .append(i % 10)
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        b.append("data: {\"id\":\"chatcmpl-8f2c1e0a9b7d4c3e\",\"object\":\"chat.completion.chunk\",\"choices\":[],")
                .append("\"usage\":{\"prompt_tokens\":256,\"completion_tokens\":1000,\"total_tokens\":1256}}\n\n")
                .append("data: [DONE]\n\n");
        stream = b.toString().getBytes(StandardCharsets.UTF_8);
        recorder = new TrialRecorder(SloSpec.NONE, 0);
        protocol = Protocols.of(Api.OPENAI_CHAT);
        parser = protocol.newDecoder(false);
        firstLength = b.indexOf("\n") - 6;
    }

    /**
     * The protocol's reader and decoder (reached through the protocol seam, as the client does),
     * then the timing record and the trial's recorders.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long harnessReaderParseAndRecord() throws IOException {
        Buffer source = new Buffer().write(stream);
        RequestTiming timing = new RequestTiming(0, System.nanoTime(), true);
        timing.markSent(System.nanoTime());
        protocol.framing().reader().read(source, (data, offset, length) -> {
            long now = System.nanoTime();
            EventDecoder.Kind kind = parser.decode(data, offset, length);
            if (kind == EventDecoder.Kind.DONE) {
                return false;
            }
            if (kind == EventDecoder.Kind.CONTENT) {
                timing.onContentEvent(now, 1);
            }
            if (parser.completionTokens() >= 0) {
                timing.onUsage(parser.promptTokens(), parser.completionTokens());
            }
            if (parser.serverTimings() != null) {
                timing.onServerTimings(parser.serverTimings());
            }
            return !parser.last();
        });
        timing.complete(System.nanoTime());
        recorder.onSent(timing);
        recorder.onEnded(timing);
        return timing.outputTokens();
    }

    /** Bytes per push in {@link #harnessPushedReaderParse()}: a typical socket read of a busy stream. */
    static final int PUSH_BYTES = 1_460;

    /**
     * The event-loop transport's way in: the same bytes pushed into the reader ({@code feed}) in
     * TCP-segment-sized pieces that cut events anywhere, so the partial-line path is included.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long harnessPushedReaderParse() throws IOException {
        RequestTiming timing = new RequestTiming(0, System.nanoTime(), true);
        timing.markSent(System.nanoTime());
        FrameReader.Handler handler = (data, offset, length) -> {
            long now = System.nanoTime();
            EventDecoder.Kind kind = parser.decode(data, offset, length);
            if (kind == EventDecoder.Kind.DONE) {
                return false;
            }
            if (kind == EventDecoder.Kind.CONTENT) {
                timing.onContentEvent(now, 1);
            }
            return true;
        };
        FrameReader reader = protocol.framing().reader();
        for (int at = 0; at < stream.length; at += PUSH_BYTES) {
            if (!reader.feed(stream, at, Math.min(PUSH_BYTES, stream.length - at), handler)) {
                break;
            }
        }
        return timing.contentEvents();
    }

    /** OkHttp's SSE reader (a String per event) feeding the same parser, for comparison. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long okhttpSseReaderThenParse() throws IOException {
        Buffer source = new Buffer().write(stream);
        RequestTiming timing = new RequestTiming(0, System.nanoTime(), true);
        long[] tokens = {0};
        ServerSentEventReader reader = new ServerSentEventReader(source, new ServerSentEventReader.Callback() {
            @Override
            public void onEvent(String id, String type, String data) {
                long now = System.nanoTime();
                byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
                if (parser.decode(bytes, 0, bytes.length) == EventDecoder.Kind.CONTENT) {
                    timing.onContentEvent(now, 1);
                    tokens[0]++;
                }
            }

            @Override
            public void onRetryChange(long timeMs) {}
        });
        while (reader.processNextEvent()) {
            // Reads to the end of the buffer.
        }
        return tokens[0];
    }

    /** The parse alone, no reading or recording: what the JSON costs per event. */
    @Benchmark
    public EventDecoder.Kind parseOnly() {
        return parser.decode(stream, 6, firstLength);
    }
}
