package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * llama.cpp's native {@code /completion} (after the server of early 2025, see {@code
 * wire/llama.cpp/native_stream.sse}): one SSE event per token, {@code {"index":0,"content":...,
 * "tokens":[id],"stop":false,"id_slot":-1,"tokens_predicted":n,"tokens_evaluated":p}}, then a last
 * event with empty content, {@code "stop":true}, {@code stop_type} and {@code timings} (the
 * simulator's truth: prompt = receipt to first token, predicted = first to last token); no
 * {@code [DONE]}.
 */
final class LlamaCppWire implements SimWire {
    private static final byte[] MALFORMED =
            "data: {\"index\": this is not JSON\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = "data: {}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final SimContext sim;
    /** The prompt size each token event repeats ({@code tokens_evaluated}). */
    private final int promptTokens;

    LlamaCppWire(SimContext sim, int promptTokens) {
        this.sim = sim;
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
        out.writeCharSequence("data: {\"index\":0,\"content\":\"", StandardCharsets.US_ASCII);
        out.writeBytes(piece);
        out.writeCharSequence(
                "\",\"tokens\":[" + index + "],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":" + index
                        + ",\"tokens_evaluated\":" + promptTokens + "}\n\n",
                StandardCharsets.US_ASCII);
    }

    @Override
    public int tokenSize(int pieceLength) {
        return 140 + pieceLength;
    }

    @Override
    public byte[] end(Summary s, boolean terminator) {
        return ("data: " + finalObject(s, "") + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private String finalObject(Summary s, String content) {
        ObjectNode root = sim.json.createObjectNode();
        root.put("index", 0);
        root.put("content", content);
        root.putArray("tokens");
        root.put("id_slot", 0);
        root.put("stop", true);
        root.put("model", sim.config.model());
        root.put("tokens_predicted", s.outputTokens());
        root.put("tokens_evaluated", s.promptTokens());
        root.put("stop_type", "length".equals(s.finishReason()) ? "limit" : "eos");
        root.put("stopping_word", "");
        root.put("tokens_cached", s.promptTokens() + s.outputTokens() - 1);
        putTimings(root, s);
        return root.toString();
    }

    /**
     * llama.cpp's {@code timings} object from the simulator's truth, under {@code parent}; its
     * OpenAI endpoints send the same object in their last chunk and whole answer.
     */
    static void putTimings(ObjectNode parent, Summary s) {
        ObjectNode t = parent.putObject("timings");
        double promptMs = s.promptNanos() / 1e6;
        double predictedMs = s.decodeNanos() / 1e6;
        t.put("prompt_n", s.promptTokens());
        t.put("prompt_ms", promptMs);
        t.put("prompt_per_token_ms", promptMs / s.promptTokens());
        t.put("prompt_per_second", promptMs > 0 ? s.promptTokens() * 1000 / promptMs : 0);
        t.put("predicted_n", s.outputTokens());
        t.put("predicted_ms", predictedMs);
        t.put("predicted_per_token_ms", s.outputTokens() > 0 ? predictedMs / s.outputTokens() : 0);
        t.put("predicted_per_second", predictedMs > 0 ? s.outputTokens() * 1000 / predictedMs : 0);
    }

    @Override
    public byte[] body(Summary s, String content) {
        return finalObject(s, content).getBytes(StandardCharsets.UTF_8);
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
