package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.LlmRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI chat ({@code POST /v1/chat/completions}) and completions ({@code POST
 * /v1/completions}) APIs, streamed as SSE with {@code stream_options.include_usage}, ended by
 * {@code data: [DONE]}; {@code exactOutput} sends vLLM's {@code ignore_eos} and {@code min_tokens}.
 * Models from {@code GET /v1/models}.
 */
final class OpenAiProtocol implements Protocol {
    static final OpenAiProtocol CHAT = new OpenAiProtocol(Api.OPENAI_CHAT, "/v1/chat/completions", true);
    static final OpenAiProtocol COMPLETIONS = new OpenAiProtocol(Api.OPENAI_COMPLETIONS, "/v1/completions", false);

    private final Api api;
    private final String path;
    private final boolean chat;

    private OpenAiProtocol(Api api, String path, boolean chat) {
        this.api = api;
        this.path = path;
        this.chat = chat;
    }

    @Override
    public Api api() {
        return api;
    }

    @Override
    public Engine engine() {
        return Engine.OPENAI_COMPATIBLE;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Framing framing() {
        return Framing.SSE;
    }

    @Override
    public byte[] body(LlmRequest request, String model) {
        return body(request, model, true);
    }

    @Override
    public byte[] body(LlmRequest request, String model, boolean stream) {
        if ((request instanceof ChatRequest) != chat) {
            throw new IllegalArgumentException(Protocols.shapeMismatch(api, request));
        }
        return OpenAiBodies.write(request, model, stream);
    }

    @Override
    public EventDecoder newDecoder(boolean wantText) {
        return new OpenAiEventParser(wantText);
    }

    @Override
    public boolean forcesLength() {
        return true;
    }

    @Override
    public byte[] sampleEvent() {
        String choice = chat ? "{\"index\":0,\"delta\":{\"content\":\"x\"}}" : "{\"index\":0,\"text\":\"x\"}";
        return ("{\"choices\":[" + choice + "],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String modelsPath() {
        return "/v1/models";
    }

    /** {@code data[].id}. */
    @Override
    public List<String> models(JsonNode body) {
        JsonNode data = body.path("data");
        if (!data.isArray()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode m : data) {
            if (m.hasNonNull("id")) {
                ids.add(m.get("id").asText());
            }
        }
        return ids;
    }
}
