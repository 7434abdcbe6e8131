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

    /** How the streamed answer is framed. */
    Framing framing();

    /**
     * The JSON body of a streaming request for {@code model}.
     *
     * @throws IllegalArgumentException when the request cannot be written (bad {@code extraBody}),
     *     or its shape is not one this API takes
     */
    byte[] body(LlmRequest request, String model);

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
