package dev.llmharness.runtime.sim;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * TGI's {@code /generate_stream} (after TGI 3.x's OpenAPI schema {@code StreamResponse}): one SSE
 * event per token, {@code {"index":i,"token":{"id":i,"text":...,"logprob":-0.1,"special":false},
 * "generated_text":null,"details":null}}; the last token's event carries the whole {@code
 * generated_text} and {@code details} ({@code finish_reason}, {@code generated_tokens}, {@code
 * input_length}); no terminator. {@code /generate} answers {@code {"generated_text": ...,
 * "details": ...}}.
 */
final class TgiWire implements SimWire {
    private static final byte[] MALFORMED =
            "data: {\"index\": this is not JSON\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = "data: {}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final String finishReason;
    private final StringBuilder text = new StringBuilder();
    /** The prompt size the last event reports ({@code details.input_length}). */
    private final int promptTokens;

    TgiWire(String finishReason, int promptTokens) {
        this.finishReason = finishReason;
        this.promptTokens = promptTokens;
    }

    @Override
    public String contentType() {
        return "text/event-stream";
    }

    @Override
    public byte[] opening() {
        return null;
    }

    @Override
    public void token(ByteBuf out, byte[] piece, int index, boolean last) {
        String s = new String(piece, StandardCharsets.UTF_8);
        text.append(s);
        out.writeCharSequence(
                "data:{\"index\":" + index + ",\"token\":{\"id\":" + index + ",\"text\":\"" + s
                        + "\",\"logprob\":-0.1,\"special\":false},\"generated_text\":"
                        + (last ? "\"" + text + "\",\"details\":" + details(index) : "null,\"details\":null")
                        + "}\n\n",
                StandardCharsets.UTF_8);
    }

    private String details(int outputTokens) {
        return "{\"finish_reason\":\"" + ("length".equals(finishReason) ? "length" : "eos_token")
                + "\",\"generated_tokens\":" + outputTokens + ",\"seed\":null,\"input_length\":" + promptTokens + "}";
    }

    @Override
    public int tokenSize(int pieceLength) {
        return 120 + pieceLength;
    }

    @Override
    public byte[] end(Summary s, boolean terminator) {
        return new byte[0];
    }

    @Override
    public byte[] body(Summary s, String content) {
        return ("{\"generated_text\":\"" + content + "\",\"details\":" + details(s.outputTokens()) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * TGI's timing headers of {@code /generate} (its router's names and units: whole
     * milliseconds, {@code x-compute-time} in seconds), from the simulator's ground truth. The
     * simulator does not tell queueing from running, so it reports the whole time as inference and
     * {@code x-queue-time: 0}.
     */
    @Override
    public java.util.Map<String, String> bodyHeaders(Summary s) {
        long totalMs = s.totalNanos() / 1_000_000;
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("x-compute-type", "gpu+optimized");
        h.put("x-compute-time", Double.toString(s.totalNanos() / 1e9));
        h.put("x-total-time", Long.toString(totalMs));
        h.put("x-validation-time", "0");
        h.put("x-queue-time", "0");
        h.put("x-inference-time", Long.toString(totalMs));
        h.put("x-time-per-token", Long.toString(s.outputTokens() > 0 ? totalMs / s.outputTokens() : 0));
        h.put("x-prompt-tokens", Integer.toString(s.promptTokens()));
        h.put("x-generated-tokens", Integer.toString(s.outputTokens()));
        return h;
    }

    @Override
    public byte[] malformedEvent() {
        return MALFORMED;
    }

    @Override
    public byte[] emptyEvent() {
        return EMPTY;
    }
}
