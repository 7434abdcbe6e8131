package dev.llmharness.runtime.protocol;

import dev.llmharness.runtime.metrics.ServerTimings;

/**
 * Decodes one event of a streamed answer (an SSE {@code data:} payload or an NDJSON line) into
 * what the harness records: whether it carried generated content, the server's token counts, its
 * finish, its self-reported timings. One per stream, reused for each event; not thread-safe. The
 * accessors describe the last decoded event until the next call.
 *
 * <p>Implementations read the bytes with a streaming JSON parser and allocate nothing per event
 * unless asked for text ({@code wantText}) or the event carries the server's timings (once).
 */
public interface EventDecoder {
    /** What one event was. */
    enum Kind {
        /** A terminator without content ({@code data: [DONE]}): the stream ends here. */
        DONE,
        /** An event with generated content (answer, reasoning or tool-call text). */
        CONTENT,
        /** A valid event without content (role-only, empty, finish or usage-only). */
        OTHER,
        /**
         * A JSON object the protocol does not know (e.g. {@code data: {}}, a keep-alive or metadata
         * event): counted, otherwise ignored.
         */
        IGNORED,
        /** Not JSON, an error object, or a field of the wrong type; {@link #problem()} says which. */
        INVALID
    }

    /** Decodes one event's bytes {@code data[offset, offset + length)}. */
    Kind decode(byte[] data, int offset, int length);

    /**
     * Whether the last event was the stream's final one by the protocol's own framing (llama.cpp's
     * {@code "stop": true}, Ollama's {@code "done": true}, TGI's {@code generated_text}): its
     * content (if any) counts, then the stream ends as if terminated.
     */
    boolean last();

    /** Whether the answer has finished: a finish reason was given (an end without terminator is whole). */
    boolean finished();

    /** The content text of the last event; only when the decoder was made with {@code wantText}. */
    String text();

    /**
     * Appends the content text of the last event to {@code to} (what {@link #text()} returns,
     * without making a string of it); only when the decoder was made with {@code wantText}.
     */
    default void appendText(StringBuilder to) {
        to.append(text());
    }

    /**
     * The stream has ended (however it ended): no event is decoded after this. A JSON decoder
     * hands the field names it has learnt to the next stream's decoder here.
     */
    default void close() {}

    /** Tool-call deltas in the last event, {@code >= 0}. */
    int toolCalls();

    /** Whether the last event's content was reasoning ({@code reasoning_content}, {@code thinking}). */
    boolean reasoning();

    /** Prompt tokens the server reported in the last event, or {@code -1}. */
    int promptTokens();

    /** Output tokens the server reported in the last event, or {@code -1}. */
    int completionTokens();

    /** The server's own timings from the last event, or {@code null} when it carried none. */
    ServerTimings serverTimings();

    /** Why the last event was {@link Kind#INVALID}. */
    String problem();
}
