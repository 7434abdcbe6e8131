package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmharness.api.Api;
import dev.llmharness.api.LlmRequest;
import java.util.List;

/**
 * One wire protocol: everything the client needs to know to send a request to one endpoint and
 * read its streamed answer, and to find the server's models. The client, the readiness probe and
 * the run know no protocol by name; adding one is one implementation, its line in {@link
 * Protocols}, and the simulator serving it. Implementations are stateless and thread-safe.
 */
public interface Protocol {
    /** The API this implements. */
    Api api();

    /** The engine family that serves it, for discovery ({@code llmh probe}) and documentation. */
    Engine engine();

    /** The request path below the base URL, e.g. {@code /v1/chat/completions}. */
    String path();

    /**
     * The request path of a non-streamed request ({@code stream = false}); the streamed path
     * unless the engine has a separate endpoint (TGI's {@code /generate}).
     */
    default String path(boolean stream) {
        return path();
    }

    /** How the streamed answer is framed. */
    Framing framing();

    /**
     * The JSON body of a streaming request for {@code model}.
     *
     * @throws IllegalArgumentException when the request cannot be written (bad {@code extraBody}),
     *     or its shape is not one this API takes
     */
    byte[] body(LlmRequest request, String model);

    /**
     * The JSON body of a request, streamed or not ({@code "stream": false}, or the engine's
     * non-streamed endpoint's body).
     *
     * @throws IllegalArgumentException as {@link #body(LlmRequest, String)}
     */
    default byte[] body(LlmRequest request, String model, boolean stream) {
        if (!stream) {
            throw new IllegalArgumentException(api() + " has no non-streamed request");
        }
        return body(request, model);
    }

    /**
     * Decodes the whole JSON body of a non-streamed answer, with its response headers ({@code
     * header} answers a header's value or {@code null}). The default reads the body as the
     * protocol's final stream event carrying the whole content (llama.cpp, Ollama, and OpenAI's
     * {@code message} in place of {@code delta}).
     */
    default WholeAnswer decodeWhole(byte[] body, java.util.function.Function<String, String> header, boolean wantText) {
        return WholeAnswer.decode(newDecoder(wantText), body);
    }

    /** A decoder for one stream's events; {@code wantText} collects content text for a counter. */
    EventDecoder newDecoder(boolean wantText);

    /**
     * Whether {@code exactOutput} can force the output length (an {@code ignore_eos}-like field);
     * when not, the result records requested and delivered lengths and warns.
     */
    boolean forcesLength();

    /** One typical content event as the server sends it, to warm up the decoder before a run. */
    byte[] sampleEvent();

    /** The path that lists the served models ({@code GET}), e.g. {@code /v1/models}. */
    String modelsPath();

    /**
     * The model names in the answer to {@link #modelsPath()}, in the server's order, or {@code
     * null} when the body is not such a list.
     */
    List<String> models(JsonNode body);
}
