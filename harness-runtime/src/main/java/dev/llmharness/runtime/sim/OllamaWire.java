package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Ollama's {@code /api/generate} and {@code /api/chat} (after the API documentation of Ollama
 * 0.12): NDJSON, one object per token ({@code {"model":...,"created_at":...,"response":...,
 * "done":false}}, or {@code "message":{"role":"assistant","content":...}} for chat), then a last
 * object with {@code "done":true}, {@code done_reason} and the durations in nanoseconds (the
 * simulator's truth: {@code prompt_eval_duration} = receipt to first token, {@code eval_duration}
 * = first to last token, {@code load_duration} 0, {@code total_duration} = receipt to end).
 */
final class OllamaWire implements SimWire {
    private static final byte[] MALFORMED = "{\"model\": this is not JSON\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = "{}\n".getBytes(StandardCharsets.US_ASCII);

    private final SimContext sim;
    private final boolean chat;
    private final byte[] prefix;
    /** A reasoning token's object: {@code thinking} beside an empty answer, as Ollama sends it. */
    private final byte[] reasoningPrefix;

    private final byte[] suffix;

    OllamaWire(SimContext sim, boolean chat) {
        this.sim = sim;
        this.chat = chat;
        String head =
                "{\"model\":" + sim.modelJson + ",\"created_at\":\"" + Instant.ofEpochSecond(sim.created()) + "\",";
        if (chat) {
            prefix = OpenAiWire.utf8(head + "\"message\":{\"role\":\"assistant\",\"content\":\"");
            reasoningPrefix =
                    OpenAiWire.utf8(head + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"");
            suffix = OpenAiWire.utf8("\"},\"done\":false}\n");
        } else {
            prefix = OpenAiWire.utf8(head + "\"response\":\"");
            reasoningPrefix = OpenAiWire.utf8(head + "\"response\":\"\",\"thinking\":\"");
            suffix = OpenAiWire.utf8("\",\"done\":false}\n");
        }
    }

    @Override
    public String contentType() {
        return "application/x-ndjson";
    }

    @Override
    public byte[] opening() {
        return null;
    }

    @Override
    public void token(ByteBuf out, byte[] piece, int index, boolean last) {
        out.writeBytes(index <= sim.config.reasoningTokens() ? reasoningPrefix : prefix)
                .writeBytes(piece)
                .writeBytes(suffix);
    }

    @Override
    public int tokenSize(int pieceLength) {
        return reasoningPrefix.length + pieceLength + suffix.length;
    }

    @Override
    public byte[] end(Summary s, boolean terminator) {
        return (finalObject(s, "") + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private String finalObject(Summary s, String content) {
        ObjectNode root = sim.json.createObjectNode();
        root.put("model", sim.config.model());
        root.put("created_at", Instant.ofEpochSecond(sim.created()).toString());
        if (chat) {
            ObjectNode message = root.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
        } else {
            root.put("response", content);
        }
        root.put("done", true);
        root.put("done_reason", s.finishReason());
        root.put("total_duration", s.totalNanos());
        root.put("load_duration", 0);
        root.put("prompt_eval_count", s.promptTokens());
        root.put("prompt_eval_duration", s.promptNanos());
        root.put("eval_count", s.outputTokens());
        root.put("eval_duration", s.decodeNanos());
        return root.toString();
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
