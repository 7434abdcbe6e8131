package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.runtime.metrics.ServerTimings;
import dev.llmharness.runtime.protocol.EventDecoder.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry covers every API, and each native decoder reads its engine's events. */
class ProtocolsTest {
    private static Kind decode(EventDecoder d, String event) {
        byte[] b = event.getBytes(StandardCharsets.UTF_8);
        return d.decode(b, 0, b.length);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void everyApiHasAProtocolWhoseSampleEventIsContent(Api api) {
        Protocol p = Protocols.of(api);
        assertThat(p.api()).isEqualTo(api);
        assertThat(p.path()).startsWith("/");
        assertThat(p.modelsPath()).startsWith("/");
        EventDecoder d = p.newDecoder(true);
        byte[] sample = p.sampleEvent();
        assertThat(d.decode(sample, 0, sample.length)).as(d.problem()).isEqualTo(Kind.CONTENT);
        assertThat(d.text()).isEqualTo("x");
    }

    @Test
    void llamaCppTheLastEventStopsWithCountsAndTimings() {
        EventDecoder d = Protocols.of(Api.LLAMACPP_COMPLETION).newDecoder(false);
        assertThat(decode(
                        d,
                        "{\"content\":\"\",\"stop\":true,\"tokens_predicted\":3,\"tokens_evaluated\":5,"
                                + "\"generation_settings\":{\"stop\":[]},\"timings\":{\"prompt_n\":1,\"prompt_ms\":11.8,"
                                + "\"predicted_n\":3,\"predicted_ms\":6.488}}"))
                .isEqualTo(Kind.OTHER);
        assertThat(d.last()).isTrue();
        assertThat(d.finished()).isTrue();
        assertThat(d.completionTokens()).isEqualTo(3);
        assertThat(d.promptTokens()).isEqualTo(5);
        assertThat(d.serverTimings()).isEqualTo(new ServerTimings(11_800_000, 1, 6_488_000, 3, -1, -1));
        assertThat(decode(d, "{\"error\":{\"code\":500,\"message\":\"boom\"}}")).isEqualTo(Kind.INVALID);
        assertThat(d.problem()).contains("boom");
    }

    @Test
    void tgiASpecialTokenIsNoContentAndTheFinalEventEnds() {
        EventDecoder d = Protocols.of(Api.TGI_GENERATE).newDecoder(true);
        assertThat(decode(
                        d,
                        "{\"index\":2,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":0,\"special\":true},"
                                + "\"generated_text\":\"ab\",\"details\":{\"finish_reason\":\"eos_token\","
                                + "\"generated_tokens\":2,\"seed\":null,\"input_length\":7}}"))
                .isEqualTo(Kind.OTHER);
        assertThat(d.text()).isEmpty();
        assertThat(d.last()).isTrue();
        assertThat(d.finished()).isTrue();
        assertThat(d.completionTokens()).isEqualTo(2);
        assertThat(d.promptTokens()).isEqualTo(7);
    }

    @Test
    void ollamaThinkingIsReasoningAndTheDoneLineCarriesDurations() {
        EventDecoder d = Protocols.of(Api.OLLAMA_CHAT).newDecoder(false);
        assertThat(decode(
                        d,
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                                + "\"thinking\":\"hmm\"},\"done\":false}"))
                .isEqualTo(Kind.CONTENT);
        assertThat(d.reasoning()).isTrue();
        assertThat(decode(
                        d,
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                                + "\"done_reason\":\"stop\",\"total_duration\":174560334,\"load_duration\":101397084,"
                                + "\"prompt_eval_count\":11,\"prompt_eval_duration\":13074791,\"eval_count\":18,"
                                + "\"eval_duration\":52479709}"))
                .isEqualTo(Kind.OTHER);
        assertThat(d.last()).isTrue();
        assertThat(d.serverTimings()).isEqualTo(new ServerTimings(13074791, 11, 52479709, 18, 101397084, 174560334));
        assertThat(decode(d, "{}")).isEqualTo(Kind.IGNORED);
        // An error ends the request (the decoder is not used after it).
        assertThat(decode(d, "{\"error\":\"model 'x' not found\"}")).isEqualTo(Kind.INVALID);
        assertThat(d.problem()).contains("model 'x' not found");
    }
}
