package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reasoning model's stream (vLLM / DeepSeek-style {@code reasoning_content} deltas before the
 * answer's {@code content}): reasoning and answer are counted apart, with the time to the first of
 * each, and the trial lists them as metrics only when a request reasoned.
 */
@ParameterizedClass
@EnumSource(TransportKind.class)
class ReasoningTest {
    /** The test runs on both transports. */
    @Parameter
    TransportKind transportKind;

    private static final ClientTimeouts TIMEOUTS = new ClientTimeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30));

    private static String delta(String field, String text) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"" + field + "\":\"" + text + "\"}}]}\n\n";
    }

    @Test
    void reasoningAndAnswerAreCountedApartWithTheirFirstInstants() throws Exception {
        String stream = delta("reasoning_content", "Let")
                + delta("reasoning_content", " me think")
                + delta("reasoning", ".")
                + delta("content", "The")
                + delta("content", " answer")
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        ClientTransport transport = transportKind.open(2, TIMEOUTS);
        try (MockWebServer server = new MockWebServer()) {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            for (int i = 0; i < 2; i++) {
                server.enqueue(new MockResponse.Builder()
                        .addHeader("Content-Type", "text/event-stream")
                        .chunkedBody(new Buffer().writeUtf8(stream), 80)
                        .throttleBody(80, 5, TimeUnit.MILLISECONDS)
                        .build());
            }
            server.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "text/event-stream")
                    .body(delta("content", "plain") + "data: [DONE]\n\n")
                    .build());
            LlmClient client = new LlmClient(
                    transport,
                    new Target("http://127.0.0.1:" + server.getPort(), Api.OPENAI_CHAT, "m", null, null, false),
                    TokenCounter.contentEvents(),
                    TIMEOUTS);
            TrialRecorder recorder = new TrialRecorder(SloSpec.NONE, System.nanoTime());
            RequestTiming t = null;
            for (int i = 0; i < 3; i++) {
                t = new RequestTiming(i, System.nanoTime(), true);
                client.send(client.prepare(ChatRequest.of("hi", 8), i), t);
                assertThat(t.outcome()).as(t.failureDetail()).isEqualTo(Outcome.COMPLETED);
                recorder.onSent(t);
                recorder.onEnded(t);
                if (i == 0) {
                    assertThat(t.reasoningEvents()).isEqualTo(3);
                    assertThat(t.answerEvents()).isEqualTo(2);
                    assertThat(t.contentEvents()).isEqualTo(5);
                    assertThat(t.firstReasoningNanos()).isEqualTo(t.ttftNanos());
                    assertThat(t.firstAnswerNanos()).isGreaterThan(t.firstReasoningNanos());
                }
            }
            assertThat(t.reasoningEvents()).isZero();
            assertThat(t.firstReasoningNanos()).isEqualTo(-1);
            assertThat(t.firstAnswerNanos()).isEqualTo(t.ttftNanos());

            TrialMetrics m = recorder.finish();
            assertThat(m.histograms().get("ttftReasoning").getTotalCount()).isEqualTo(2);
            assertThat(m.histograms().get("ttftAnswer").getTotalCount()).isEqualTo(2);
            assertThat(m.histograms().get("reasoningTokens").getMaxValue()).isEqualTo(3);
            assertThat(m.histograms().get("answerTokens").getMaxValue()).isEqualTo(2);
            assertThat(m.histograms()).doesNotContainKey("serverPrompt");
        } finally {
            transport.close();
        }
    }
}
