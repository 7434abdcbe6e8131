package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event loop's own HTTP/1.1 response decoder on the llama.cpp wire captures and on adversarial
 * framing: every capture is decoded with the bytes cut at every boundary (a socket read can end
 * anywhere), framing errors fail with a {@link ProtocolException} naming what was wrong, and
 * reuse follows the version and {@code Connection} header.
 */
class Http1ResponseDecoderTest {
    /** Collects what the decoder hands on, checking the order of the calls. */
    private static final class Recorder implements ResponseSink {
        final List<ResponseHead> heads = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int ends;

        @Override
        public void onHead(ResponseHead head) {
            assertThat(heads.size()).as("a head per response, before its body").isEqualTo(ends);
            heads.add(head);
        }

        @Override
        public void onBody(byte[] bytes, int offset, int length) {
            assertThat(length).isPositive();
            assertThat(heads).hasSize(ends + 1);
            body.write(bytes, offset, length);
        }

        @Override
        public void onEnd() {
            assertThat(heads).hasSize(ends + 1);
            ends++;
        }

        ResponseHead head() {
            assertThat(heads).hasSize(1);
            return heads.get(0);
        }

        String text() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static byte[] capture(String name) throws IOException {
        try (InputStream in = Http1ResponseDecoderTest.class.getResourceAsStream("/wire/llama.cpp/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The body in chunked encoding, one chunk per SSE event (as llama.cpp and vLLM flush them). */
    static byte[] chunkedPerEvent(byte[] sse) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(sse, StandardCharsets.ISO_8859_1);
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf("\n\n", from);
            end = end < 0 ? text.length() : end + 2;
            byte[] chunk = bytes(text.substring(from, end));
            out.writeBytes(bytes(Integer.toHexString(chunk.length) + "\r\n"));
            out.writeBytes(chunk);
            out.writeBytes(bytes("\r\n"));
            from = end;
        }
        out.writeBytes(bytes("0\r\n\r\n"));
        return out.toByteArray();
    }

    /**
     * Feeds {@code wire} as socket reads cut at {@code cuts} (ascending), each read in a buffer of
     * its own at an offset, overwritten after its decode: the decoder may keep nothing of a read.
     * Decodes on after a response's end, as a connection's next response would be.
     */
    private static void feed(Http1ResponseDecoder d, ResponseSink sink, byte[] wire, int... cuts)
            throws ProtocolException {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            int n = to - from;
            byte[] read = new byte[n + 6];
            Arrays.fill(read, (byte) '#');
            System.arraycopy(wire, from, read, 3, n);
            int at = 3;
            int left = n;
            while (left > 0) {
                int used = d.decode(read, at, left, sink);
                assertThat(used).as("progress").isPositive();
                at += used;
                left -= used;
            }
            Arrays.fill(read, (byte) '#');
            from = to;
        }
    }

    private static Recorder decode(byte[] wire, int... cuts) throws ProtocolException {
        Recorder r = new Recorder();
        feed(new Http1ResponseDecoder(), r, wire, cuts);
        return r;
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    /** Decodes {@code wire} whole, cut once at every index, and one byte per read: all must agree. */
    private static Recorder decodeEveryWay(byte[] wire) throws ProtocolException {
        Recorder whole = decode(wire);
        for (int cut = 1; cut < wire.length; cut++) {
            Recorder r = decode(wire, cut);
            assertThat(r.heads).as("cut at %d", cut).isEqualTo(whole.heads);
            assertThat(r.text()).as("cut at %d", cut).isEqualTo(whole.text());
            assertThat(r.ends).as("cut at %d", cut).isEqualTo(whole.ends);
        }
        Recorder bytewise = decode(wire, everyByte(wire.length));
        assertThat(bytewise.heads).isEqualTo(whole.heads);
        assertThat(bytewise.text()).isEqualTo(whole.text());
        assertThat(bytewise.ends).isEqualTo(whole.ends);
        return whole;
    }

    @Test
    void theLlamaCppStreamCaptureDecodesWhereverTheReadsCutIt() throws Exception {
        for (String name : new String[] {"chat_stream.sse", "completions_stream.sse", "native_stream.sse"}) {
            byte[] sse = capture(name);
            byte[] wire = concat(
                    capture(name.startsWith("native") ? "native_stream.headers" : "chat_stream.headers"),
                    chunkedPerEvent(sse));
            Recorder r = decodeEveryWay(wire);
            assertThat(r.head())
                    .isEqualTo(
                            new ResponseHead(200, "OK", "text/event-stream", ResponseHead.Framing.CHUNKED, -1, true));
            assertThat(r.body.toByteArray()).as(name).isEqualTo(sse);
            assertThat(r.ends).isEqualTo(1);
        }
    }

    @Test
    void theLlamaCppContentLengthCapturesDecodeWithTheirStatusAndReason() throws Exception {
        Recorder health = decodeEveryWay(concat(capture("health.headers"), capture("health.json")));
        assertThat(health.head())
                .isEqualTo(new ResponseHead(
                        200, "OK", "application/json; charset=utf-8", ResponseHead.Framing.LENGTH, 15, true));
        assertThat(health.body.toByteArray()).isEqualTo(capture("health.json"));
        assertThat(health.ends).isEqualTo(1);

        Recorder loading = decodeEveryWay(concat(capture("health_loading.headers"), capture("health_loading.json")));
        assertThat(loading.head().status()).isEqualTo(503);
        assertThat(loading.head().reason()).isEqualTo("Service Unavailable");
        assertThat(loading.body.toByteArray()).isEqualTo(capture("health_loading.json"));

        Recorder error = decodeEveryWay(capture("error_bad_json.http"));
        assertThat(error.head().status()).isEqualTo(500);
        assertThat(error.head().contentLength()).isEqualTo(220);
        assertThat(error.text()).startsWith("{\"error\":{\"code\":500,").hasSize(220);
        assertThat(error.ends).isEqualTo(1);
    }

    @Test
    void chunkExtensionsAndTrailersAreReadAndIgnored() throws Exception {
        Recorder r = decodeEveryWay(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;q=\"a;b\"\r\nhello\r\n"
                + "6 ; ext\r\n world\r\n"
                + "0;last=1\r\nX-Trailer: 1\r\nServer-Timing: total;dur=5\r\n\r\n"));
        assertThat(r.text()).isEqualTo("hello world");
        assertThat(r.ends).isEqualTo(1);
        assertThat(r.head().reusable()).isTrue();
    }

    @Test
    void bareLineFeedsAndUpperCaseHexAreAccepted() throws Exception {
        Recorder r = decodeEveryWay(bytes("HTTP/1.1 200 OK\nContent-Type: text/event-stream\n"
                + "Transfer-Encoding: chunked\n\n5\nhello\nA\r\n0123456789\r\n0\n\n"));
        assertThat(r.text()).isEqualTo("hello0123456789");
        assertThat(r.ends).isEqualTo(1);
    }

    @Test
    void aHugeChunkSizeStreamsItsBytesAsTheyComeWithoutWaitingForTheChunk() throws Exception {
        Http1ResponseDecoder d = new Http1ResponseDecoder();
        Recorder r = new Recorder();
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 'x');
        feed(d, r, concat(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n"), data), 50);
        assertThat(r.body.size()).isEqualTo(1000);
        assertThat(r.ends).isZero();
        assertThat(d.closed(r))
                .as("a close inside the chunk cuts the body short")
                .isFalse();
        assertThat(r.ends).isZero();
    }

    @Test
    void chunkSizesThatAreNotHexFailTheResponseNamingTheLine() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (String bad : new String[] {
            "-5", "0x5", "zz", "", " ", "5 5", "5,ext", "ffffffffffffffff", "1234567890abcdef0", "\u00e95"
        }) {
            Http1ResponseDecoder d = new Http1ResponseDecoder();
            Recorder r = new Recorder();
            assertThatThrownBy(() -> feed(d, r, bytes(head + bad + "\r\nhello\r\n0\r\n\r\n")))
                    .as("chunk size line '%s'", bad)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("expected chunk size and optional extensions but was \"");
            assertThatThrownBy(() -> feed(d, r, bytes("0\r\n\r\n")))
                    .as("nothing more is decoded after a framing error")
                    .isInstanceOf(ProtocolException.class);
            assertThat(r.ends).isZero();
        }
    }

    @Test
    void chunkDataNotFollowedByCrlfMeansItsSizeWasWrong() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (String bad :
                new String[] {"5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhello\rX0\r\n\r\n", "4\r\nhello\r\n0\r\n\r\n"}) {
            assertThatThrownBy(() -> decode(bytes(head + bad)))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("not followed by CRLF");
        }
    }

    @Test
    void aStatusLineThatIsNotHttp1WithAThreeDigitCodeFails() {
        for (String bad : new String[] {
            "HTTP/1.1 2000 OK",
            "HTP/1.1 200 OK",
            "HTTP/1.1 abc",
            "HTTP/2 200 OK",
            "200 OK",
            "HTTP/1.1 099 Low",
            "ICY 200 OK",
            "HTTP/1.1 20",
            "HTTP/1.1200 OK",
            "http/1.1 200 OK"
        }) {
            assertThatThrownBy(() -> decode(bytes(bad + "\r\nContent-Length: 0\r\n\r\n")))
                    .as(bad)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("Unexpected status line: " + bad);
        }
        assertThatThrownBy(() -> decode(bytes("HTTP/1.1 abc\u0001\r\n\r\n")))
                .hasMessage("Unexpected status line: HTTP/1.1 abc?");
    }

    @Test
    void statusLinesWithoutReasonOrWithExtraBlanksAreRead() throws Exception {
        String[][] cases = {
            {"HTTP/1.1 200", "200", ""},
            {"HTTP/1.1 200 ", "200", ""},
            {"HTTP/1.0  200  All good ", "200", "All good"},
            {"HTTP/1.1\t404\tNot Found", "404", "Not Found"},
            {"HTTP/1.1 599 Custom: reason", "599", "Custom: reason"}
        };
        for (String[] c : cases) {
            Recorder r = decode(bytes(c[0] + "\r\nContent-Length: 0\r\n\r\n"));
            assertThat(r.head().status()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.head().reason()).as(c[0]).isEqualTo(c[2]);
            assertThat(r.ends).isEqualTo(1);
        }
    }

    @Test
    void theBodysFramingFollowsRfc9112() throws Exception {
        Recorder both = decodeEveryWay(bytes(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));
        assertThat(both.head().framing()).isEqualTo(ResponseHead.Framing.CHUNKED);
        assertThat(both.head().reusable())
                .as("both framings: not trusted for another request")
                .isFalse();
        assertThat(both.text()).isEqualTo("ok");

        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n0\r\n\r\n"))
                        .head()
                        .framing())
                .isEqualTo(ResponseHead.Framing.CHUNKED);
        ResponseHead gzip = decode(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"))
                .head();
        assertThat(gzip.framing()).isEqualTo(ResponseHead.Framing.CLOSE);
        assertThat(gzip.reusable()).isFalse();

        Recorder identity =
                decode(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(identity.head().framing()).isEqualTo(ResponseHead.Framing.LENGTH);
        assertThat(identity.head().reusable()).isTrue();
        assertThat(identity.ends).isEqualTo(1);

        for (int status : new int[] {204, 304}) {
            byte[] wire = bytes("HTTP/1.1 " + status + " X\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\n");
            Recorder r = new Recorder();
            int used = new Http1ResponseDecoder().decode(wire, 0, wire.length, r);
            assertThat(r.head().framing()).isEqualTo(ResponseHead.Framing.NONE);
            assertThat(r.ends).as("no body, whatever the headers say").isEqualTo(1);
            assertThat(used).isEqualTo(wire.length - "HTTP/1.1 200 OK\r\n".length());
        }
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnectionAndItIsNotReused() throws Exception {
        Http1ResponseDecoder d = new Http1ResponseDecoder();
        Recorder r = new Recorder();
        feed(d, r, bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}"), 40, 52);
        assertThat(r.text()).isEqualTo("{\"a\":1}");
        assertThat(r.ends).isZero();
        assertThat(r.head().framing()).isEqualTo(ResponseHead.Framing.CLOSE);
        assertThat(r.head().reusable()).isFalse();
        assertThat(d.closed(r)).isTrue();
        assertThat(r.ends).isEqualTo(1);
    }

    @Test
    void aCloseInsideAFramedBodyOrHeadIsNotAnEnd() throws Exception {
        for (String cut : new String[] {
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
            "HTTP/1.1 200 OK\r\nContent-Le",
            ""
        }) {
            Http1ResponseDecoder d = new Http1ResponseDecoder();
            Recorder r = new Recorder();
            feed(d, r, bytes(cut));
            assertThat(d.closed(r)).as(cut).isFalse();
            assertThat(r.ends).as(cut).isZero();
        }
    }

    @Test
    void reuseFollowsTheVersionAndTheConnectionHeader() throws Exception {
        String body = "Content-Length: 2\r\n\r\nok";
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\n" + body)).head().reusable())
                .isTrue();
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nconnection: Keep-Alive\r\n" + body))
                        .head()
                        .reusable())
                .isTrue();
        assertThat(decode(bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n" + body))
                        .head()
                        .reusable())
                .as("HTTP/1.0")
                .isFalse();
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n" + body))
                        .head()
                        .reusable())
                .isFalse();
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nCONNECTION:  keep-alive , Close \r\n" + body))
                        .head()
                        .reusable())
                .isFalse();
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nConnection: closed\r\n" + body))
                        .head()
                        .reusable())
                .as("a token is matched whole")
                .isTrue();
    }

    @Test
    void contentLengthsMustBeDigitsAndAgree() throws Exception {
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"))
                        .text())
                .isEqualTo("ok");
        assertThat(decode(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok")).ends)
                .isEqualTo(1);
        assertThatThrownBy(() -> decode(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("conflicting Content-Length values: 2 and 3");
        assertThatThrownBy(() -> decode(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")))
                .hasMessage("conflicting Content-Length values: 2 and 3");
        for (String bad : new String[] {"abc", "-1", "", "1e3", "+5", "99999999999999999999", "2,", "0x10"}) {
            assertThatThrownBy(() -> decode(bytes("HTTP/1.1 200 OK\r\nContent-Length: " + bad + "\r\n\r\n")))
                    .as(bad)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("invalid Content-Length: " + bad);
        }
    }

    @Test
    void interimAnswersAreSkippedAndTheFinalOneIsRead() throws Exception {
        Recorder r = decodeEveryWay(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(r.head().status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("ok");
    }

    @Test
    void decodingStopsRightAfterAResponsesEndSoThatTheCallerJudgesTheRest() throws Exception {
        byte[] first = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        byte[] wire = concat(first, bytes("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes"));
        Http1ResponseDecoder d = new Http1ResponseDecoder();
        Recorder r = new Recorder();
        assertThat(d.decode(wire, 0, wire.length, r)).isEqualTo(first.length);
        assertThat(r.ends).isEqualTo(1);
        assertThat(d.decode(wire, first.length, wire.length - first.length, r)).isEqualTo(wire.length - first.length);
        assertThat(r.ends).isEqualTo(2);
        assertThat(r.text()).isEqualTo("okyes");
    }

    @Test
    void headerNamesAreMatchedInAnyCaseAndOtherHeadersAreLookedUpOnDemand() throws Exception {
        Http1ResponseDecoder d = new Http1ResponseDecoder();
        Recorder r = new Recorder();
        feed(
                d,
                r,
                bytes(
                        "HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\nCONTENT-type: Application/JSON\r\n"
                                + "X-Generated-Tokens:  17 \r\nContent-Type: text/plain\r\nDate: Mon, 07 Dec 2026 04:30:19 GMT\r\n\r\nok"));
        assertThat(r.head().contentType()).as("the first one").isEqualTo("Application/JSON");
        assertThat(r.text()).isEqualTo("ok");
        assertThat(d.header("x-generated-tokens")).isEqualTo("17");
        assertThat(d.header("X-GENERATED-TOKENS")).isEqualTo("17");
        assertThat(d.header("date")).isEqualTo("Mon, 07 Dec 2026 04:30:19 GMT");
        assertThat(d.header("x-generated")).isNull();
        assertThat(d.header("missing")).isNull();
    }

    @Test
    void emptyValuesFoldedLinesAndLinesWithoutAColonAreTolerated() throws Exception {
        Recorder r = decodeEveryWay(bytes("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: \r\nX-Long: a\r\n"
                + "  folded\r\nno colon here\r\n: no name\r\nContent-Length : 2\r\n\r\nok"));
        assertThat(r.text()).isEqualTo("ok");
        assertThat(r.head().contentLength()).isEqualTo(2);
    }

    @Test
    void emptyLinesBeforeTheStatusLineAreSkipped() throws Exception {
        Recorder r = decodeEveryWay(bytes("\r\n\nHTTP/1.1 204 No Content\r\n\r\n"));
        assertThat(r.head().status()).isEqualTo(204);
        assertThat(r.ends).isEqualTo(1);
    }

    @Test
    void anOverlongHeadOrLineFailsWhetherItComesAtOnceOrByteByByte() {
        String huge = "x".repeat(Http1HeadReader.MAX_HEAD_BYTES);
        byte[] oneLine = bytes("HTTP/1.1 200 OK\r\nX-Big: " + huge + "\r\n\r\n");
        assertThatThrownBy(() -> decode(oneLine))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> decode(oneLine, 20, 30, 40_000))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than");
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (many.length() <= Http1HeadReader.MAX_HEAD_BYTES) {
            many.append("X-Some: header\r\n");
        }
        assertThatThrownBy(() -> decode(bytes(many + "\r\n")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("the response head is longer than " + Http1HeadReader.MAX_HEAD_BYTES + " bytes");
    }

    @Test
    void aServersRepeatedReasonAndTypeAreOneStringAcrossResponses() throws Exception {
        byte[] one = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 0\r\n\r\n");
        Http1ResponseDecoder d = new Http1ResponseDecoder();
        Recorder r = new Recorder();
        feed(d, r, concat(one, one));
        assertThat(r.heads).hasSize(2);
        assertThat(r.heads.get(1).contentType()).isSameAs(r.heads.get(0).contentType());
        assertThat(r.heads.get(1).reason()).isSameAs(r.heads.get(0).reason());
    }
}
