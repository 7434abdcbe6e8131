package dev.llmharness.runtime.protocol;

import okhttp3.MediaType;

/** How a streamed answer is split into events. */
public enum Framing {
    /** Server-Sent Events, {@code text/event-stream}: OpenAI, llama.cpp, TGI. */
    SSE("text/event-stream"),
    /** Newline-delimited JSON, {@code application/x-ndjson}: Ollama. */
    NDJSON("application/x-ndjson");

    private final String mediaType;

    Framing(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type sent in {@code Accept}. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * Whether an answer of this content type is a stream of this framing; a missing type is given
     * the benefit of the doubt (the events' parse decides).
     */
    public boolean accepts(MediaType type) {
        if (type == null) {
            return true;
        }
        return switch (this) {
            case SSE -> "event-stream".equals(type.subtype());
            // Ollama answers application/x-ndjson; some proxies relabel it application/json.
            case NDJSON -> type.subtype().endsWith("ndjson") || "json".equals(type.subtype());
        };
    }

    /** Appends one event with this framing's delimiters: {@code data: EVENT\n\n} (SSE), {@code EVENT\n}. */
    public void writeEvent(okio.Buffer sink, byte[] event) {
        if (this == SSE) {
            sink.writeUtf8("data: ").write(event).writeUtf8("\n\n");
        } else {
            sink.write(event).writeByte('\n');
        }
    }

    /**
     * A new reader of this framing for one response body: push its bytes ({@link
     * FrameReader#feed}) or let it pull them ({@link FrameReader#read(okio.BufferedSource,
     * FrameReader.Handler)}).
     */
    public FrameReader reader() {
        return this == SSE ? new SseReader() : new NdjsonReader();
    }
}
