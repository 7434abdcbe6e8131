package dev.llmharness.runtime.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ServerUrl} lets through: every URL a server is reached at today, so that the check
 * made before any load refuses typos only (the refusals are tabled in CommandLineErrorsTest,
 * through the commands).
 */
class ServerUrlTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8000",
                "https://api.example.com/v1",
                "http://localhost",
                "http://[::1]:8080",
                "http://[::1]",
                "http://user:secret@inference.internal:8000",
                "http://my_host:8000",
                "http://127.0.0.1:65535/v1/?api-version=2",
                "  http://127.0.0.1:1  "
            })
    void aUsableUrlPassesWithoutTheBlanksAroundIt(String url) {
        assertThat(ServerUrl.problem(url)).isNull();
        assertThat(ServerUrl.check("--url", url)).isEqualTo(url.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aBlankUrlIsNotGiven(String url) {
        assertThat(ServerUrl.check("--url", url)).isNull();
        assertThat(ServerUrl.check("--url", null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Dllmh.url", "--url"})
    void theLineNamesTheSettingAsItWasWritten(String written) {
        String separator = written.startsWith("-D") ? "=" : " ";
        assertThatThrownBy(() -> ServerUrl.check(written, " HTTP://127.0.0.1:8000 "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid " + written + separator + "HTTP://127.0.0.1:8000: the scheme HTTP:// is not"
                        + " supported: use http:// or https://; write the server's base URL, e.g."
                        + " http://127.0.0.1:8000");
    }
}
