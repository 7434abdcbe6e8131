package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.LlmRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The engines' own APIs: llama.cpp {@code POST /completion}, TGI {@code POST /generate_stream},
 * Ollama {@code POST /api/generate} and {@code POST /api/chat}. Field names follow each engine's
 * public API documentation at the versions named in {@code docs/engines.md}. Each body ends with
 * the request's extra body fields, which override the harness's.
 */
abstract class NativeProtocol implements Protocol {
    /** llama.cpp {@code /completion}: {@code prompt}, {@code n_predict}, {@code ignore_eos}. */
    static final NativeProtocol LLAMACPP =
            new NativeProtocol(
                    Api.LLAMACPP_COMPLETION,
                    Engine.LLAMACPP,
                    "/completion",
                    Framing.SSE,
                    true,
                    LlamaCppDecoder::new,
                    "/v1/models",
                    NativeProtocol::openAiModels,
                    "{\"index\":0,\"content\":\"x\",\"tokens\":[1],\"stop\":false,\"tokens_predicted\":1,\"tokens_evaluated\":1}") {
                @Override
                Map<String, Object> fields(LlmRequest request, String model) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("prompt", ((CompletionRequest) request).prompt());
                    body.put("n_predict", request.maxTokens());
                    sampling(request, body, "temperature", "top_p");
                    if (request.exactOutput()) {
                        body.put("ignore_eos", true);
                    }
                    return body;
                }
            };

    /**
     * TGI {@code /generate_stream}: {@code inputs}, {@code parameters.max_new_tokens}, {@code
     * details}. TGI has no way to ignore the end of sequence, so it cannot force the length.
     */
    static final NativeProtocol TGI =
            new NativeProtocol(
                    Api.TGI_GENERATE,
                    Engine.TGI,
                    "/generate_stream",
                    Framing.SSE,
                    false,
                    TgiDecoder::new,
                    "/info",
                    NativeProtocol::tgiModels,
                    "{\"index\":1,\"token\":{\"id\":1,\"text\":\"x\",\"logprob\":-0.1,\"special\":false},"
                            + "\"generated_text\":null,\"details\":null}") {
                @Override
                Map<String, Object> fields(LlmRequest request, String model) {
                    Map<String, Object> parameters = new LinkedHashMap<>();
                    parameters.put("max_new_tokens", request.maxTokens());
                    sampling(request, parameters, "temperature", "top_p");
                    parameters.put("details", true);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("inputs", ((CompletionRequest) request).prompt());
                    body.put("parameters", parameters);
                    return body;
                }
            };

    /** Ollama {@code /api/generate}: {@code prompt}, {@code options.num_predict}; no way to ignore EOS. */
    static final NativeProtocol OLLAMA_GENERATE = ollama(Api.OLLAMA_GENERATE, "/api/generate");

    /** Ollama {@code /api/chat}: {@code messages}, {@code options.num_predict}; no way to ignore EOS. */
    static final NativeProtocol OLLAMA_CHAT = ollama(Api.OLLAMA_CHAT, "/api/chat");

    private final Api api;
    private final Engine engine;
    private final String path;
    private final Framing framing;
    private final boolean forcesLength;
    private final Function<Boolean, EventDecoder> decoders;
    private final String modelsPath;
    private final Function<JsonNode, List<String>> models;
    private final byte[] sampleEvent;

    private NativeProtocol(
            Api api,
            Engine engine,
            String path,
            Framing framing,
            boolean forcesLength,
            Function<Boolean, EventDecoder> decoders,
            String modelsPath,
            Function<JsonNode, List<String>> models,
            String sampleEvent) {
        this.api = api;
        this.engine = engine;
        this.path = path;
        this.framing = framing;
        this.forcesLength = forcesLength;
        this.decoders = decoders;
        this.modelsPath = modelsPath;
        this.models = models;
        this.sampleEvent = sampleEvent.getBytes(StandardCharsets.UTF_8);
    }

    private static NativeProtocol ollama(Api api, String path) {
        String sample = api.takesMessages()
                ? "{\"model\":\"m\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"x\"},\"done\":false}"
                : "{\"model\":\"m\",\"created_at\":\"2025-01-01T00:00:00Z\",\"response\":\"x\",\"done\":false}";
        return new NativeProtocol(
                api,
                Engine.OLLAMA,
                path,
                Framing.NDJSON,
                false,
                OllamaDecoder::new,
                "/api/tags",
                NativeProtocol::ollamaModels,
                sample) {
            @Override
            Map<String, Object> fields(LlmRequest request, String model) {
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("num_predict", request.maxTokens());
                sampling(request, options, "temperature", "top_p");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("model", model);
                if (request instanceof ChatRequest chat) {
                    body.put("messages", OpenAiBodies.messages(chat));
                } else {
                    body.put("prompt", ((CompletionRequest) request).prompt());
                }
                body.put("options", options);
                return body;
            }
        };
    }

    /** The body's fields before the extra body and {@code stream}; the shape is already checked. */
    abstract Map<String, Object> fields(LlmRequest request, String model);

    private static void sampling(LlmRequest request, Map<String, Object> into, String temperature, String topP) {
        if (request.temperature() != null) {
            into.put(temperature, request.temperature());
        }
        if (request.topP() != null) {
            into.put(topP, request.topP());
        }
    }

    @Override
    public byte[] body(LlmRequest request, String model) {
        return body(request, model, true);
    }

    /**
     * The body with {@code "stream"} set as asked; TGI streams by path ({@code /generate_stream}
     * or {@code /generate}), so its non-streamed body has no {@code stream} field.
     */
    @Override
    public byte[] body(LlmRequest request, String model, boolean stream) {
        boolean chat = request instanceof ChatRequest;
        if (chat ? !api.takesMessages() : !api.takesPrompt()) {
            throw new IllegalArgumentException(Protocols.shapeMismatch(api, request));
        }
        Map<String, Object> body = fields(request, model);
        body.putAll(request.extraBody());
        if (stream || engine != Engine.TGI) {
            body.put("stream", stream);
        } else {
            body.remove("stream");
        }
        return OpenAiBodies.json(body);
    }

    /** TGI's non-streamed endpoint is {@code /generate}; the others take {@code "stream": false}. */
    @Override
    public String path(boolean stream) {
        return !stream && engine == Engine.TGI ? "/generate" : path;
    }

    @Override
    public WholeAnswer decodeWhole(byte[] body, java.util.function.Function<String, String> header, boolean wantText) {
        return engine == Engine.TGI
                ? TgiWhole.decode(body, header, wantText)
                : WholeAnswer.decode(newDecoder(wantText), body);
    }

    @Override
    public Api api() {
        return api;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Framing framing() {
        return framing;
    }

    @Override
    public EventDecoder newDecoder(boolean wantText) {
        return decoders.apply(wantText);
    }

    @Override
    public boolean forcesLength() {
        return forcesLength;
    }

    @Override
    public byte[] sampleEvent() {
        return sampleEvent.clone();
    }

    @Override
    public String modelsPath() {
        return modelsPath;
    }

    @Override
    public List<String> models(JsonNode body) {
        return models.apply(body);
    }

    /** {@code GET /v1/models}: {@code data[].id} (llama.cpp serves it beside its native API). */
    static List<String> openAiModels(JsonNode body) {
        return OpenAiProtocol.CHAT.models(body);
    }

    /** TGI {@code GET /info}: the one {@code model_id}. */
    static List<String> tgiModels(JsonNode body) {
        JsonNode id = body.get("model_id");
        return id != null && id.isTextual() ? List.of(id.asText()) : null;
    }

    /** Ollama {@code GET /api/tags}: {@code models[].name}. */
    static List<String> ollamaModels(JsonNode body) {
        JsonNode list = body.path("models");
        if (!list.isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode m : list) {
            if (m.hasNonNull("name")) {
                names.add(m.get("name").asText());
            }
        }
        return names;
    }
}
