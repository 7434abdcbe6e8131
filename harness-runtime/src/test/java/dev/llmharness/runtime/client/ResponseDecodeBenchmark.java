package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP/1.1 framing of one streamed answer on the event loop: a response of {@value #TOKENS}
 * token events, recorded from the simulator on loopback (chunked, one chunk per event, as vLLM and
 * llama.cpp flush them), decoded by the transport's own {@link Http1ResponseDecoder} and by
 * Netty's {@code HttpClientCodec} in an {@code EmbeddedChannel}, as the transport used it: one
 * message per chunk, its content copied out for the SSE reader, then released. Both hand on the
 * same body bytes; neither parses the events. Figures are per response; run with {@code -prof gc}
 * for bytes allocated per response.
 *
 * <p>{@code reads}: how the bytes arrive. {@code 1460}, TCP-segment-sized reads that cut chunks
 * anywhere (ITL 0, where the server writes faster than the loop reads); {@code token}, the head,
 * then one read per chunk (a 20 ms ITL, where each token is a read of its own).
 *
 * <p>Run: see {@code docs/performance.md} ("The HTTP/1.1 decoder").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseDecodeBenchmark {
    static final int TOKENS = 128;

    @Param({"1460", "token"})
    public String reads;

    private byte[] response;
    /** Where each read ends, ascending; the last is the response's length. */
    private int[] cuts;

    private Http1ResponseDecoder decoder;
    private CountingSink sink;
    private EmbeddedChannel netty;
    private byte[] scratch;

    @Setup
    public void setUp() throws IOException {
        response = record();
        cuts = "token".equals(reads) ? chunkEnds(response) : every(Integer.parseInt(reads), response.length);
        decoder = new Http1ResponseDecoder();
        sink = new CountingSink();
        netty = new EmbeddedChannel(new HttpClientCodec());
        scratch = new byte[16 * 1024];
        // Both must hand on the same body before their times mean anything.
        long own = ownDecoder();
        long theirs = nettyHttpClientCodec();
        if (own != theirs || own == 0) {
            throw new IllegalStateException("the decoders disagree: " + own + " and " + theirs + " body bytes");
        }
    }

    @TearDown
    public void tearDown() {
        netty.finishAndReleaseAll();
    }

    /** The transport's decoder: each read decoded in place, body bytes handed on as runs of the read. */
    @Benchmark
    public long ownDecoder() throws ProtocolException {
        sink.bytes = 0;
        int from = 0;
        for (int to : cuts) {
            int at = from;
            while (at < to) {
                at += decoder.decode(response, at, to - at, sink);
            }
            from = to;
        }
        return sink.bytes;
    }

    /**
     * Netty's codec as the transport used it: each read into the pipeline, each {@code HttpObject}
     * out, a content's bytes copied into the reader's array, every message released.
     */
    @Benchmark
    public long nettyHttpClientCodec() {
        long bytes = 0;
        int from = 0;
        for (int to : cuts) {
            netty.writeInbound(Unpooled.wrappedBuffer(response, from, to - from));
            Object msg;
            while ((msg = netty.readInbound()) != null) {
                if (msg instanceof HttpContent c) {
                    ByteBuf b = c.content();
                    int n = b.readableBytes();
                    b.getBytes(b.readerIndex(), scratch, 0, n);
                    bytes += n;
                }
                ReferenceCountUtil.release(msg);
            }
            from = to;
        }
        return bytes;
    }

    /** Counts the body's bytes, as the cheapest consumer that still takes each run. */
    private static final class CountingSink implements ResponseSink {
        long bytes;

        @Override
        public void onHead(ResponseHead head) {}

        @Override
        public void onBody(byte[] b, int offset, int length) {
            bytes += length;
        }

        @Override
        public void onEnd() {}
    }

    /** One streamed answer of {@value #TOKENS} tokens from the simulator, the bytes as they came. */
    static byte[] record() throws IOException {
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"));
                EventLoopTransport transport = new EventLoopTransport(ClientTimeouts.defaults());
                Socket socket = new Socket(
                        HttpUrl.parse(sim.baseUrl()).host(),
                        HttpUrl.parse(sim.baseUrl()).port())) {
            LlmClient client = new LlmClient(
                    transport,
                    new Target(sim.baseUrl(), Api.OPENAI_CHAT, sim.config().model(), null, null, true),
                    TokenCounter.contentEvents(),
                    ClientTimeouts.defaults());
            PreparedRequest p = client.prepare(ChatRequest.of("Hi", TOKENS).exactOutput(true), 1);
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(Http1Request.encode(
                            p.http(), p.body(), transport.destination(p.http().url())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] read = new byte[8192];
            byte[] end = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (!endsWith(out, end)) {
                int n = in.read(read);
                if (n < 0) {
                    throw new IOException("the simulator closed the connection before the answer's end");
                }
                out.write(read, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static boolean endsWith(ByteArrayOutputStream out, byte[] end) {
        byte[] b = out.toByteArray();
        return b.length >= end.length
                && java.util.Arrays.equals(b, b.length - end.length, b.length, end, 0, end.length);
    }

    /** Reads of {@code size} bytes. */
    private static int[] every(int size, int length) {
        List<Integer> ends = new ArrayList<>();
        for (int at = size; at < length; at += size) {
            ends.add(at);
        }
        ends.add(length);
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A read for the head, then one per chunk (its size line, data and CRLF), then the last chunk. */
    private static int[] chunkEnds(byte[] r) {
        String s = new String(r, StandardCharsets.ISO_8859_1);
        List<Integer> ends = new ArrayList<>();
        int p = s.indexOf("\r\n\r\n") + 4;
        ends.add(p);
        while (true) {
            int lineEnd = s.indexOf("\r\n", p);
            int size = Integer.parseInt(s.substring(p, lineEnd).strip(), 16);
            if (size == 0) {
                ends.add(r.length);
                return ends.stream().mapToInt(Integer::intValue).toArray();
            }
            p = lineEnd + 2 + size + 2;
            ends.add(p);
        }
    }
}
