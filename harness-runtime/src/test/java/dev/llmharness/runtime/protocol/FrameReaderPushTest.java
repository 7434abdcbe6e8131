package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The framing readers' push mode (the event loop feeds each socket read) gives the same events as
 * the pull mode (OkHttp's blocking body), however the bytes are cut: one byte at a time, inside a
 * CRLF, or in random pieces; and a stop at a terminator drops what follows.
 */
class FrameReaderPushTest {
    private static final String SSE = ": comment\r\n"
            + "data: {\"a\":1}\r\n\r\n"
            + "event: x\ndata: first\ndata: second\n\n"
            + "data:nospace\n\n"
            + "\n\n"
            + "data: [DONE]\n\n"
            + "data: after\n\n";
    private static final String NDJSON = "{\"a\":1}\n  \n{\"b\":2}\r\n{\"done\":true}\n{\"c\":3}";

    /** Events until {@code stop} is seen (the terminator, which stops the reader), then how it ended. */
    private static FrameReader.Handler collect(List<String> into, String stop) {
        return (data, offset, length) -> {
            String e = new String(data, offset, length, StandardCharsets.UTF_8);
            into.add(e);
            return !e.equals(stop);
        };
    }

    private static List<String> pulled(Framing framing, String body, String stop) throws IOException {
        List<String> events = new ArrayList<>();
        boolean terminated = framing.reader().read(new Buffer().writeUtf8(body), collect(events, stop));
        events.add("terminated=" + terminated);
        return events;
    }

    private static List<String> pushed(Framing framing, String body, String stop, int[] cuts) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String> events = new ArrayList<>();
        FrameReader reader = framing.reader();
        FrameReader.Handler h = collect(events, stop);
        int at = 0;
        boolean terminated = false;
        for (int cut : cuts) {
            int end = Math.min(bytes.length, Math.max(at, cut));
            if (!reader.feed(bytes, at, end - at, h)) {
                terminated = true;
                break;
            }
            at = end;
        }
        if (!terminated && !reader.feed(bytes, at, bytes.length - at, h)) {
            terminated = true;
        }
        if (!terminated) {
            terminated = reader.finish(h);
        }
        events.add("terminated=" + terminated);
        return events;
    }

    private static int[] everyByte(String body) {
        int n = body.getBytes(StandardCharsets.UTF_8).length;
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    @Test
    void sseEventsAreTheSamePushedByteByByteOrInRandomPiecesAsPulled() throws IOException {
        List<String> expected = pulled(Framing.SSE, SSE, "[DONE]");
        assertThat(expected).containsExactly("{\"a\":1}", "first\nsecond", "nospace", "[DONE]", "terminated=true");
        assertThat(pushed(Framing.SSE, SSE, "[DONE]", everyByte(SSE))).isEqualTo(expected);
        assertThat(pushed(Framing.SSE, SSE, "[DONE]", new int[] {SSE.indexOf("\r\n") + 1}))
                .isEqualTo(expected);
        Random random = new Random(7);
        for (int run = 0; run < 50; run++) {
            int[] cuts = random.ints(5, 0, SSE.length()).sorted().toArray();
            assertThat(pushed(Framing.SSE, SSE, "[DONE]", cuts))
                    .as("cuts %s", cuts)
                    .isEqualTo(expected);
        }
    }

    /**
     * As the event loop feeds: each piece copied into one scratch array, which is overwritten after
     * each feed, so that an event cut between feeds must not be read from an array reused since.
     */
    private static List<String> pushedThroughScratch(Framing framing, String body, String stop, int[] cuts)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] scratch = new byte[bytes.length + 3];
        List<String> events = new ArrayList<>();
        FrameReader reader = framing.reader();
        FrameReader.Handler h = collect(events, stop);
        int at = 0;
        boolean terminated = false;
        for (int i = 0; i <= cuts.length && !terminated; i++) {
            int end = i == cuts.length ? bytes.length : Math.min(bytes.length, Math.max(at, cuts[i]));
            System.arraycopy(bytes, at, scratch, 3, end - at);
            terminated = !reader.feed(scratch, 3, end - at, h);
            java.util.Arrays.fill(scratch, (byte) 'x');
            at = end;
        }
        if (!terminated) {
            terminated = reader.finish(h);
        }
        events.add("terminated=" + terminated);
        return events;
    }

    @Test
    void sseEventsCutBetweenFeedsOfAReusedArrayAreDeliveredWhole() throws IOException {
        List<String> expected = pulled(Framing.SSE, SSE, "[DONE]");
        assertThat(pushedThroughScratch(Framing.SSE, SSE, "[DONE]", new int[0])).isEqualTo(expected);
        assertThat(pushedThroughScratch(Framing.SSE, SSE, "[DONE]", everyByte(SSE)))
                .isEqualTo(expected);
        Random random = new Random(8);
        for (int run = 0; run < 200; run++) {
            int[] cuts =
                    random.ints(1 + random.nextInt(6), 0, SSE.length()).sorted().toArray();
            assertThat(pushedThroughScratch(Framing.SSE, SSE, "[DONE]", cuts))
                    .as("cuts %s", java.util.Arrays.toString(cuts))
                    .isEqualTo(expected);
        }
        String last = "data: one\n\ndata: two";
        assertThat(pushedThroughScratch(Framing.SSE, last, "none", new int[] {last.length() - 2}))
                .containsExactly("one", "two", "terminated=false");
    }

    @Test
    void aLastSseEventWithoutItsBlankLineIsDeliveredAtTheEnd() throws IOException {
        String body = "data: one\n\ndata: two";
        List<String> expected = pulled(Framing.SSE, body, "none");
        assertThat(expected).containsExactly("one", "two", "terminated=false");
        assertThat(pushed(Framing.SSE, body, "none", everyByte(body))).isEqualTo(expected);
    }

    @Test
    void ndjsonLinesAreTheSamePushedByteByByteAsPulledAndTheLastLineNeedsNoNewline() throws IOException {
        List<String> expected = pulled(Framing.NDJSON, NDJSON, "none");
        assertThat(expected)
                .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"done\":true}", "{\"c\":3}", "terminated=false");
        assertThat(pushed(Framing.NDJSON, NDJSON, "none", everyByte(NDJSON))).isEqualTo(expected);
        List<String> stopped = pushed(Framing.NDJSON, NDJSON, "{\"done\":true}", new int[] {3});
        assertThat(stopped).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"done\":true}", "terminated=true");
    }
}
