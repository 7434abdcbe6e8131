package dev.llmharness.runtime.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmharness.runtime.metrics.ServerTimings;
import java.io.IOException;

/**
 * Reads llama.cpp's {@code timings} object ({@code prompt_n}, {@code prompt_ms}, {@code
 * predicted_n}, {@code predicted_ms}; milliseconds as fractions), which its server adds to the
 * last event of {@code /completion} and of its OpenAI endpoints.
 */
final class LlamaCppTimings {
    private LlamaCppTimings() {}

    /** Reads from the object's first field to its end. */
    static ServerTimings read(JsonParser p) throws IOException {
        long promptN = -1;
        long predictedN = -1;
        double promptMs = -1;
        double predictedMs = -1;
        while (JsonEventDecoder.next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = JsonEventDecoder.next(p);
            switch (name) {
                case "prompt_n" -> promptN = JsonEventDecoder.intOrMinusOne(p, value);
                case "predicted_n" -> predictedN = JsonEventDecoder.intOrMinusOne(p, value);
                case "prompt_ms" -> promptMs = JsonEventDecoder.numberOrMinusOne(p, value);
                case "predicted_ms" -> predictedMs = JsonEventDecoder.numberOrMinusOne(p, value);
                default -> p.skipChildren();
            }
        }
        return new ServerTimings(nanos(promptMs), promptN, nanos(predictedMs), predictedN, -1, -1);
    }

    private static long nanos(double millis) {
        return millis < 0 ? -1 : Math.round(millis * 1e6);
    }
}
