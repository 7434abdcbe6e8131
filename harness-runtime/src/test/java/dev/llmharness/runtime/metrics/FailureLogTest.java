package dev.llmharness.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureLogTest {
    @Test
    void distinctMessagesAreCountedPerCategoryMostFrequentFirst() {
        FailureLog log = new FailureLog();
        log.record(FailureCategory.PROTOCOL, "expected a text/event-stream answer, got application/json");
        for (int i = 0; i < 3; i++) {
            log.record(FailureCategory.STREAM_TRUNCATED, "the stream ended before data: [DONE]");
        }
        log.record(FailureCategory.PROTOCOL, "event is not valid JSON");
        log.record(FailureCategory.PROTOCOL, "event is not valid JSON");
        Map<String, FailureLog.Messages> s = log.snapshot();
        assertThat(s).containsOnlyKeys("stream_truncated", "protocol");
        assertThat(s.get("protocol").messages())
                .extracting(FailureLog.Message::message, FailureLog.Message::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("event is not valid JSON", 2L),
                        org.assertj.core.groups.Tuple.tuple(
                                "expected a text/event-stream answer, got application/json", 1L));
        assertThat(s.get("stream_truncated").messages().get(0).count()).isEqualTo(3);
        assertThat(s.get("stream_truncated").others()).isZero();
    }

    @Test
    void aHundredThousandDistinctMessagesKeepTenAndCountTheRestAsOthers() {
        FailureLog log = new FailureLog();
        for (int i = 0; i < 100_000; i++) {
            // Letters, not numbers: normalisation cannot group these, the bound must hold them.
            log.record(
                    FailureCategory.HTTP_5XX,
                    "HTTP 500: " + Integer.toString(i, 26).replace('0', 'z') + "x");
        }
        FailureLog.Messages m = log.snapshot().get("http_5xx");
        assertThat(m.messages()).hasSize(FailureLog.MAX_MESSAGES_PER_CATEGORY);
        assertThat(m.messages().stream().mapToLong(FailureLog.Message::count).sum() + m.others())
                .isEqualTo(100_000);
        assertThat(m.others()).isEqualTo(100_000 - FailureLog.MAX_MESSAGES_PER_CATEGORY);
    }

    @Test
    void requestSpecificNumbersAndIdsAreNormalisedSoTheyGroupButTheHttpStatusStays() {
        assertThat(FailureLog.normalise("HTTP 503: request 17 failed after 2.5 s"))
                .isEqualTo("HTTP 503: request <n> failed after <n> s");
        assertThat(FailureLog.normalise("ConnectException: Failed to connect to /127.0.0.1:34567"))
                .isEqualTo("ConnectException: Failed to connect to /<n>:<n>");
        assertThat(FailureLog.normalise("id chatcmpl-3f2a9c1b44d0 and 123e4567-e89b-12d3-a456-426614174000"))
                .isEqualTo("id chatcmpl-<id> and <id>");
        assertThat(FailureLog.normalise("no content within the first-token timeout of PT0.8S"))
                .as("digits inside a word stay")
                .isEqualTo("no content within the first-token timeout of PT0.8S");
        assertThat(FailureLog.normalise("simulated fault: http_500")).isEqualTo("simulated fault: http_500");

        FailureLog log = new FailureLog();
        log.record(FailureCategory.HTTP_5XX, "HTTP 500: request 17 failed");
        log.record(FailureCategory.HTTP_5XX, "HTTP 500: request 4711 failed");
        log.record(FailureCategory.HTTP_5XX, "HTTP 502: request 4712 failed");
        assertThat(log.snapshot().get("http_5xx").messages())
                .extracting(FailureLog.Message::message, FailureLog.Message::example, FailureLog.Message::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "HTTP 500: request <n> failed", "HTTP 500: request 17 failed", 2L),
                        org.assertj.core.groups.Tuple.tuple(
                                "HTTP 502: request <n> failed", "HTTP 502: request 4712 failed", 1L));
    }

    @Test
    void missingAndOverlongMessagesAreKeptBounded() {
        FailureLog log = new FailureLog();
        log.record(FailureCategory.CLIENT, null);
        log.record(FailureCategory.CLIENT, "  ");
        log.record(FailureCategory.TIMEOUT, "x".repeat(10_000));
        Map<String, FailureLog.Messages> s = log.snapshot();
        assertThat(s.get("client").messages()).singleElement().satisfies(m -> {
            assertThat(m.message()).isEqualTo(FailureLog.NO_MESSAGE);
            assertThat(m.count()).isEqualTo(2);
        });
        FailureLog.Message longOne = s.get("timeout").messages().get(0);
        assertThat(longOne.message()).hasSize(FailureLog.MAX_MESSAGE_CHARS).endsWith("...");
        assertThat(longOne.example()).hasSize(FailureLog.MAX_MESSAGE_CHARS);
    }
}
