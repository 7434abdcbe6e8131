package dev.llmharness.runtime.client;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.WholeAnswer;
import java.util.function.Function;
import okhttp3.MediaType;

/**
 * Reads a non-streamed answer ({@code Target.stream() == false}): the whole JSON body at once,
 * decoded by the protocol into content, the server's counts and timings (and TGI's timing
 * headers). The request's only instant after its send is its end, so it records E2E and no first
 * token, inter-token gaps or TPOT. Both transports use it; each reads the body its own way and
 * categorises I/O errors as for a stream.
 */
final class WholeAnswerReader {
    private WholeAnswerReader() {}

    /**
     * Whether the answer's content type is JSON (or missing); if not, fails the request as a
     * protocol error, before its body is read.
     */
    static boolean acceptsType(MediaType type, RequestTiming timing) {
        if (type != null && !type.subtype().equals("json") && !type.subtype().endsWith("+json")) {
            timing.fail(
                    System.nanoTime(),
                    FailureCategory.PROTOCOL,
                    "expected an application/json answer to a non-streamed request, got " + type);
            return false;
        }
        return true;
    }

    /**
     * Decodes the whole body, read by {@code end} ({@code nanoTime}), and sets the outcome.
     *
     * @param header the response's header of a name, or {@code null}
     */
    static void decode(
            Protocol protocol,
            TokenCounter counter,
            byte[] bytes,
            long end,
            Function<String, String> header,
            RequestTiming timing) {
        boolean wantText = counter.needsText() || timing.keepsText();
        WholeAnswer answer = protocol.decodeWhole(bytes, header, wantText);
        if (!answer.valid()) {
            timing.fail(end, FailureCategory.PROTOCOL, "non-streamed answer: " + answer.problem());
            return;
        }
        if (answer.promptTokens() >= 0 || answer.completionTokens() >= 0) {
            timing.onUsage(answer.promptTokens(), answer.completionTokens());
        }
        if (answer.timings() != null) {
            timing.onServerTimings(answer.timings());
        }
        if (!timing.hasUsageOutputTokens() && answer.content()) {
            // Without the server's count: the counter's count of the whole text, or (the default
            // counter, one token per content event) one for the one answer.
            timing.addCountedTokens(
                    counter.needsText() ? counter.tokens(answer.text()) + answer.toolCalls() : counter.tokens(null));
        }
        if (timing.keepsText()) {
            timing.appendResponseText(answer.text());
        }
        timing.complete(end);
    }
}
