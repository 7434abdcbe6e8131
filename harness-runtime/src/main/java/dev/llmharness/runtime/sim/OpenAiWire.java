package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI chat and completions: {@code chat.completion.chunk} / {@code text_completion} SSE chunks,
 * a role chunk first (chat), the finish reason on the last token's chunk, a usage chunk with empty
 * {@code choices} when asked for, then {@code data: [DONE]}. The per-token chunk is two constant
 * byte arrays around the token's text, built once per exchange.
 */
final class OpenAiWire implements SimWire {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MALFORMED = "data: {\"id\": this is not JSON\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = "data: {}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final SimContext sim;
    private final GenerationRequest request;
    private final String responseId;
    private final long created;
    private final byte[] prefix;
    /** A chat stream's reasoning token, or {@code prefix} when none is reasoning. */
    private final byte[] reasoningPrefix;

    private final int reasoningTokens;
    private final byte[] suffix;
    private final byte[] lastSuffix;

    OpenAiWire(SimContext sim, GenerationRequest request, String responseId) {
        this.sim = sim;
        this.request = request;
        this.responseId = responseId;
        this.created = sim.created();
        this.reasoningTokens = request.chat() ? sim.config.reasoningTokens() : 0;
        String head = "data: {\"id\":\"" + responseId + "\",\"object\":\"" + object() + "\",\"created\":" + created
                + ",\"model\":" + sim.modelJson + ",\"choices\":[";
        if (request.chat()) {
            prefix = utf8(head + "{\"index\":0,\"delta\":{\"content\":\"");
            reasoningPrefix = utf8(head + "{\"index\":0,\"delta\":{\"reasoning_content\":\"");
            suffix = utf8("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
            lastSuffix = utf8("\"},\"logprobs\":null,\"finish_reason\":\"" + request.finishReason() + "\"}]}\n\n");
        } else {
            prefix = utf8(head + "{\"index\":0,\"text\":\"");
            reasoningPrefix = prefix;
            suffix = utf8("\",\"logprobs\":null,\"finish_reason\":null}]}\n\n");
            lastSuffix = utf8("\",\"logprobs\":null,\"finish_reason\":\"" + request.finishReason() + "\"}]}\n\n");
        }
    }

    private String object() {
        return request.chat() ? "chat.completion.chunk" : "text_completion";
    }

    @Override
    public String contentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public byte[] opening() {
        if (!request.chat()) {
            return null;
        }
        return utf8("data: {\"id\":\"" + responseId + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + sim.modelJson + ",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }

    @Override
    public void token(ByteBuf out, byte[] piece, int index, boolean last) {
        out.writeBytes(index <= reasoningTokens ? reasoningPrefix : prefix)
                .writeBytes(piece)
                .writeBytes(last ? lastSuffix : suffix);
    }

    @Override
    public int tokenSize(int pieceLength) {
        return reasoningPrefix.length + pieceLength + lastSuffix.length;
    }

    @Override
    public byte[] end(Summary s, boolean terminator) {
        String usage = s.includeUsage()
                ? "data: {\"id\":\"" + responseId + "\",\"object\":\"" + object() + "\",\"created\":" + created
                        + ",\"model\":" + sim.modelJson + ",\"choices\":[],\"usage\":" + usageJson(s)
                        + llamaCppTimings(s) + "}\n\n"
                : "";
        return utf8(usage + (terminator ? "data: [DONE]\n\n" : ""));
    }

    /**
     * Posing as llama.cpp, whose OpenAI endpoints add the server's {@code timings} to their last
     * chunk: {@code ,"timings":{...}} on the usage chunk (the simulator sends it only with {@code
     * include_usage}, which the harness always asks for); nothing for any other persona.
     */
    private String llamaCppTimings(Summary s) {
        if (sim.config.engine() != SimPersona.LLAMACPP) {
            return "";
        }
        ObjectNode holder = sim.json.createObjectNode();
        LlamaCppWire.putTimings(holder, s);
        return ",\"timings\":" + holder.get("timings");
    }

    private static String usageJson(Summary s) {
        return "{\"prompt_tokens\":" + s.promptTokens() + ",\"total_tokens\":" + (s.promptTokens() + s.outputTokens())
                + ",\"completion_tokens\":" + s.outputTokens() + "}";
    }

    @Override
    public byte[] body(Summary s, String content) {
        ObjectNode root = sim.json.createObjectNode();
        root.put("id", responseId);
        root.put("object", request.chat() ? "chat.completion" : "text_completion");
        root.put("created", created);
        root.put("model", sim.config.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (request.chat()) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
        } else {
            choice.put("text", content);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", s.finishReason());
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", s.promptTokens());
        usage.put("total_tokens", s.promptTokens() + s.outputTokens());
        usage.put("completion_tokens", s.outputTokens());
        if (sim.config.engine() == SimPersona.LLAMACPP) {
            LlamaCppWire.putTimings(root, s);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] malformedEvent() {
        return MALFORMED;
    }

    @Override
    public byte[] emptyEvent() {
        return EMPTY;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
