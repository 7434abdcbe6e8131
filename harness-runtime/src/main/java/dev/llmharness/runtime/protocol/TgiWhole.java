package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmharness.runtime.metrics.ServerTimings;
import java.io.IOException;
import java.util.function.Function;

/**
 * Decodes TGI's non-streamed {@code POST /generate} answer: the body {@code {"generated_text":
 * ..., "details": {"finish_reason", "generated_tokens", ...}}} and the timing headers TGI adds to
 * it (its router's {@code generate}, TGI 2.x and 3.x): {@code x-total-time}, {@code
 * x-validation-time}, {@code x-queue-time}, {@code x-inference-time}, {@code x-time-per-token} in
 * whole milliseconds, {@code x-compute-time} in seconds, {@code x-prompt-tokens} and {@code
 * x-generated-tokens}. {@code x-inference-time} covers prefill and generation together, so it is
 * not split into prompt and generation time.
 */
final class TgiWhole {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private TgiWhole() {}

    static WholeAnswer decode(byte[] body, Function<String, String> header, boolean wantText) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return WholeAnswer.invalid("the body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return WholeAnswer.invalid("the body is not a JSON object");
        }
        if (root.has("error")) {
            JsonNode error = root.get("error");
            return WholeAnswer.invalid("server sent an error: " + (error.isTextual() ? error.asText() : error));
        }
        JsonNode generated = root.get("generated_text");
        if (generated == null || !generated.isTextual()) {
            return WholeAnswer.invalid("the body has no generated_text string");
        }
        String text = generated.asText();
        JsonNode details = root.path("details");
        int output = intOr(header.apply("x-generated-tokens"), details.path("generated_tokens"));
        int prompt = intOr(header.apply("x-prompt-tokens"), details.path("input_length"));
        long total = millis(header.apply("x-total-time"));
        if (total < 0) {
            total = seconds(header.apply("x-compute-time"));
        }
        ServerTimings timings =
                new ServerTimings(-1, prompt, -1, output, -1, total, millis(header.apply("x-queue-time")));
        return new WholeAnswer(wantText ? text : "", !text.isEmpty(), 0, prompt, output, true, timings, null);
    }

    /** A header's integer, else the body's, else {@code -1}. */
    private static int intOr(String header, JsonNode body) {
        if (header != null) {
            try {
                return Integer.parseInt(header.strip());
            } catch (NumberFormatException e) {
                // fall back to the body's figure
            }
        }
        return body.isIntegralNumber() ? body.asInt() : -1;
    }

    /** Whole milliseconds as ns, or {@code -1}. */
    static long millis(String value) {
        return scaled(value, 1e6);
    }

    /** Seconds (a decimal) as ns, or {@code -1}. */
    static long seconds(String value) {
        return scaled(value, 1e9);
    }

    private static long scaled(String value, double nanosPerUnit) {
        if (value == null) {
            return -1;
        }
        try {
            double v = Double.parseDouble(value.strip());
            return v >= 0 && Double.isFinite(v) ? Math.round(v * nanosPerUnit) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
