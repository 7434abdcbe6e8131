package dev.llmharness.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBuildersTest {
    private static final Prompt PROMPT = new Prompt(3, "Tell me a story.", 5, 64, true, "Once...");

    @Test
    void aChatRequestFromAPromptCarriesItsTextAndLengths() {
        ChatRequest request = ChatRequest.of(PROMPT);

        assertThat(request.messages()).containsExactly(Message.user("Tell me a story."));
        assertThat(request.maxTokens()).isEqualTo(64);
        assertThat(request.exactOutput()).isTrue();
        assertThat(request.inputTokens()).isEqualTo(5);
        assertThat(request.temperature()).isNull();
        assertThat(request.topP()).isNull();
        assertThat(request.extraBody()).isEmpty();
    }

    @Test
    void chatBuilderMethodsReturnCopiesAndLeaveTheOriginalUnchanged() {
        ChatRequest original = ChatRequest.of(PROMPT);

        ChatRequest changed = original.system("Be terse.")
                .temperature(0.7)
                .topP(0.9)
                .maxTokens(10)
                .exactOutput(false)
                .extra("seed", 1)
                .extra("stop", List.of("\n"));

        assertThat(changed.messages()).containsExactly(Message.system("Be terse."), Message.user("Tell me a story."));
        assertThat(changed.temperature()).isEqualTo(0.7);
        assertThat(changed.topP()).isEqualTo(0.9);
        assertThat(changed.maxTokens()).isEqualTo(10);
        assertThat(changed.exactOutput()).isFalse();
        assertThat(changed.inputTokens()).isEqualTo(5);
        assertThat(changed.extraBody()).containsExactlyInAnyOrderEntriesOf(Map.of("seed", 1, "stop", List.of("\n")));
        assertThat(original).isEqualTo(ChatRequest.of(PROMPT));
    }

    @Test
    void aChatRequestFromTextAsksForAtMostTheGivenTokens() {
        ChatRequest request = ChatRequest.of("hi", 8);

        assertThat(request.messages()).containsExactly(Message.user("hi"));
        assertThat(request.maxTokens()).isEqualTo(8);
        assertThat(request.exactOutput()).isFalse();
        assertThat(request.inputTokens()).isEqualTo(-1);
    }

    @Test
    void aChatRequestRejectsNoMessagesAndZeroTokens() {
        assertThatThrownBy(() -> new ChatRequest(List.of(), 1, false, -1, null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chat request needs at least one message");
        assertThatThrownBy(() -> ChatRequest.of("hi", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokens must be >= 1, got 0");
        assertThatThrownBy(() -> ChatRequest.of(PROMPT).extra("x", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theMessagesAndBodyOfAChatRequestCannotBeModified() {
        ChatRequest request = ChatRequest.of(PROMPT).extra("a", 1);

        assertThatThrownBy(() -> request.messages().add(Message.user("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.extraBody().put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCompletionRequestFromAPromptCarriesItsTextAndLengths() {
        CompletionRequest request = CompletionRequest.of(PROMPT)
                .temperature(0.1)
                .topP(0.5)
                .maxTokens(32)
                .exactOutput(false)
                .extra("echo", false);

        assertThat(request.prompt()).isEqualTo("Tell me a story.");
        assertThat(request.maxTokens()).isEqualTo(32);
        assertThat(request.exactOutput()).isFalse();
        assertThat(request.inputTokens()).isEqualTo(5);
        assertThat(request.temperature()).isEqualTo(0.1);
        assertThat(request.topP()).isEqualTo(0.5);
        assertThat(request.extraBody()).containsExactly(Map.entry("echo", false));
        assertThat(CompletionRequest.of(PROMPT).maxTokens()).isEqualTo(64);
    }

    @Test
    void aCompletionRequestRejectsZeroTokens() {
        assertThatThrownBy(() -> CompletionRequest.of(PROMPT).maxTokens(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokens must be >= 1, got 0");
    }

    @Test
    void aPromptRejectsNegativeIndexAndEmptyLengths() {
        assertThatThrownBy(() -> new Prompt(-1, "x", 1, 1, false, null)).hasMessage("index must be >= 0, got -1");
        assertThatThrownBy(() -> new Prompt(0, "x", 0, 1, false, null)).hasMessage("inputTokens must be >= 1, got 0");
        assertThatThrownBy(() -> new Prompt(0, "x", 1, 0, false, null)).hasMessage("outputTokens must be >= 1, got 0");
    }
}
