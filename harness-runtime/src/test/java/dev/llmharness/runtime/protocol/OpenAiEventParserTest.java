package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmharness.runtime.protocol.EventDecoder.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiEventParserTest {
    private static Kind parse(OpenAiEventParser p, String data) {
        byte[] b = ("xx" + data + "yy").getBytes(StandardCharsets.UTF_8);
        return p.decode(b, 2, b.length - 4);
    }

    @Test
    void oneParserReadsEventAfterEventOfAStream() {
        OpenAiEventParser p = new OpenAiEventParser(true);
        for (int i = 0; i < 1000; i++) {
            assertThat(parse(p, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]} "))
                    .isEqualTo(Kind.CONTENT);
            assertThat(p.text()).isEqualTo("t" + i);
            assertThat(parse(p, "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"))
                    .isEqualTo(Kind.OTHER);
        }
        assertThat(parse(p, "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}"))
                .isEqualTo(Kind.OTHER);
        assertThat(p.promptTokens()).isEqualTo(5);
        assertThat(p.completionTokens()).isEqualTo(9);
        assertThat(parse(p, "[DONE]")).isEqualTo(Kind.DONE);
    }

    @Test
    void truncatedOrDoubledJsonIsInvalidAndNeverHangs() {
        String[] bad = {
            "{\"choices\":[{\"delta\":{\"content\":\"a\"",
            "{\"choices\":[{\"x\":{\"y\":[1,",
            "{\"choices\":[{\"delta\":",
            "{\"choices\":[] } {\"choices\":[]}",
            "[1,2]",
            "\"text\"",
            "{\"usage\":7}",
            "{\"choices\":{}}",
            "{\"error\":\"overloaded\"}"
        };
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String data : bad) {
                OpenAiEventParser p = new OpenAiEventParser(false);
                assertThat(parse(p, data)).as(data).isEqualTo(Kind.INVALID);
                assertThat(p.problem()).as(data).isNotBlank();
            }
        });
    }
}
