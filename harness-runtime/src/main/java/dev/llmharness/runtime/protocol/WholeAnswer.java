package dev.llmharness.runtime.protocol;

import dev.llmharness.runtime.metrics.ServerTimings;

/**
 * A non-streamed answer, decoded from its whole body (and headers): what the harness records of
 * it. There are no events, so no first token, inter-token gaps or TPOT; only the end.
 *
 * @param text the content (answer and reasoning), empty unless asked for ({@code wantText})
 * @param content whether the answer carried any content
 * @param toolCalls tool calls in the answer, {@code >= 0}
 * @param promptTokens prompt tokens the server reported, or {@code -1}
 * @param completionTokens output tokens the server reported, or {@code -1}
 * @param finished whether the answer says it finished (a finish reason, {@code stop}, {@code done})
 * @param timings the server's own timings, or {@code null}
 * @param problem why the body is not an answer, or {@code null} for a valid one
 */
public record WholeAnswer(
        String text,
        boolean content,
        int toolCalls,
        int promptTokens,
        int completionTokens,
        boolean finished,
        ServerTimings timings,
        String problem) {

    /** A body that is not an answer of the protocol. */
    static WholeAnswer invalid(String problem) {
        return new WholeAnswer("", false, 0, -1, -1, false, null, problem);
    }

    /** Whether the body was a valid answer. */
    public boolean valid() {
        return problem == null;
    }

    /** Decodes {@code body} as one final event of {@code decoder}'s protocol. */
    static WholeAnswer decode(EventDecoder decoder, byte[] body) {
        EventDecoder.Kind kind = decoder.decode(body, 0, body.length);
        return switch (kind) {
            case INVALID -> invalid(decoder.problem());
            case DONE, IGNORED -> invalid("the body is not an answer of this API (no content fields)");
            case CONTENT, OTHER -> {
                if (!decoder.finished() && !decoder.last()) {
                    yield invalid("the answer does not say it finished (no finish reason, stop or done)");
                }
                yield new WholeAnswer(
                        decoder.text(),
                        kind == EventDecoder.Kind.CONTENT,
                        decoder.toolCalls(),
                        decoder.promptTokens(),
                        decoder.completionTokens(),
                        true,
                        decoder.serverTimings(),
                        null);
            }
        };
    }
}
