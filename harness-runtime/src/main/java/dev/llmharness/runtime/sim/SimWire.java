package dev.llmharness.runtime.sim;

import io.netty.buffer.ByteBuf;

/**
 * How one endpoint writes its answer: the streamed events (SSE or NDJSON) and the non-streamed
 * body. One per exchange (a wire may keep the text written so far); runs on the exchange's event
 * loop. Adding a protocol to the simulator is one implementation and its line in {@link
 * SimWire#of}.
 */
interface SimWire {
    /** The figures of a finished answer, the simulator's ground truth that it also reports. */
    record Summary(
            int promptTokens,
            int outputTokens,
            String finishReason,
            boolean includeUsage,
            long receivedNanos,
            long firstTokenNanos,
            long lastTokenNanos,
            long endNanos) {
        /** Server-side prompt time: from receipt to the first token, ns. */
        long promptNanos() {
            return firstTokenNanos - receivedNanos;
        }

        /** Server-side generation time: from the first to the last token, ns. */
        long decodeNanos() {
            return lastTokenNanos - firstTokenNanos;
        }

        /** The whole request on the server, ns. */
        long totalNanos() {
            return endNanos - receivedNanos;
        }
    }

    /** The streamed answer's content type. */
    String contentType();

    /** Written right after the headers (OpenAI chat's role chunk), or {@code null}. */
    byte[] opening();

    /** Appends the event of token {@code index} (from 1) with its text; {@code last} for the final one. */
    void token(ByteBuf out, byte[] piece, int index, boolean last);

    /** Bytes {@link #token} will append for a piece of {@code pieceLength} bytes, at least. */
    int tokenSize(int pieceLength);

    /**
     * The end of a complete stream: final events and the terminator, when the protocol has one and
     * {@code terminator} is set (the {@code no_done} fault clears it).
     */
    byte[] end(Summary s, boolean terminator);

    /** The non-streamed body with the whole {@code content}. */
    byte[] body(Summary s, String content);

    /** Headers the non-streamed answer carries besides its content type (TGI's timings); none by default. */
    default java.util.Map<String, String> bodyHeaders(Summary s) {
        return java.util.Map.of();
    }

    /** One event that is not JSON (the {@code malformed} fault). */
    byte[] malformedEvent();

    /** One keep-alive event without content ({@code empty_event}). */
    byte[] emptyEvent();

    /** The wire of {@code request}'s endpoint. */
    static SimWire of(SimContext sim, GenerationRequest request, String responseId) {
        return switch (request.api()) {
            case OPENAI_CHAT, OPENAI_COMPLETIONS -> new OpenAiWire(sim, request, responseId);
            case LLAMACPP_COMPLETION -> new LlamaCppWire(sim, request.promptTokens());
            case TGI_GENERATE_STREAM, TGI_GENERATE -> new TgiWire(request.finishReason(), request.promptTokens());
            case OLLAMA_GENERATE, OLLAMA_CHAT -> new OllamaWire(sim, request.chat());
        };
    }
}
