package dev.llmharness.runtime.client;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.protocol.Protocol;
import dev.llmharness.runtime.protocol.WholeAnswer;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads a non-streamed answer ({@code Target.stream() == false}): the whole JSON body at once,
 * decoded by the protocol into content, the server's counts and timings (and TGI's timing
 * headers). The request's only instant after its send is its end, so it records E2E and no first
 * token, inter-token gaps or TPOT. An I/O error propagates to {@link LlmClient#send}, which
 * categorises it as for a stream.
 */
final class WholeAnswerReader {
    private WholeAnswerReader() {}

    static void read(Protocol protocol, TokenCounter counter, Response response, RequestTiming timing)
            throws IOException {
        ResponseBody body = response.body();
        MediaType type = body.contentType();
        if (type != null && !type.subtype().equals("json") && !type.subtype().endsWith("+json")) {
            timing.fail(
                    System.nanoTime(),
                    FailureCategory.PROTOCOL,
                    "expected an application/json answer to a non-streamed request, got " + type);
            return;
        }
        byte[] bytes = body.bytes();
        long end = System.nanoTime();
        boolean wantText = counter.needsText() || timing.keepsText();
        WholeAnswer answer = protocol.decodeWhole(bytes, response::header, wantText);
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
