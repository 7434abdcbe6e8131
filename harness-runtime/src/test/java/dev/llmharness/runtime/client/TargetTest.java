package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void displayUrlDropsCredentialsAndQuery() {
        Target t = new Target(
                "https://alice:s3cret@llm.example.com:8443/gw?api_key=k", Api.OPENAI_CHAT, "m", "key", null, false);

        assertThat(t.displayUrl()).isEqualTo("https://llm.example.com:8443/gw");
        assertThat(t.toString())
                .doesNotContain("s3cret")
                .doesNotContain("api_key")
                .doesNotContain("key,");
    }

    @Test
    void displayUrlKeepsAPlainUrl() {
        Target t = new Target("http://127.0.0.1:8000", Api.OPENAI_CHAT, "m", null, null, true);

        assertThat(t.displayUrl()).isEqualTo("http://127.0.0.1:8000");
    }

    @Test
    void normaliseBaseUrlAcceptsTheV1FormUsersPaste() {
        assertThat(Target.normaliseBaseUrl(" http://h:1/v1/ ")).isEqualTo("http://h:1");
    }
}
