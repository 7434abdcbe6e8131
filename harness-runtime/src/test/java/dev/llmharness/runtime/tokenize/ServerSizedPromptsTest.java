package dev.llmharness.runtime.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Sizing converges to the server's exact count with a tokenizer unlike the workload's, keeps the
 * shared prefix, and stops at its bound; a server without {@code /tokenize} stops a sized run
 * before any load and is silently skipped otherwise.
 */
class ServerSizedPromptsTest {
    /** Words of 5 letters or more are 2 tokens, shorter ones 1, punctuation 1: nothing like cl100k. */
    private static final class LongWordsTwice implements ServerTokenizer {
        final AtomicLong calls = new AtomicLong();

        @Override
        public String endpoint() {
            return "fake POST /tokenize";
        }

        @Override
        public int count(String text) {
            calls.incrementAndGet();
            int n = 0;
            for (String w : text.trim().split("\\s+")) {
                String letters = w.replaceAll("[^A-Za-z]", "");
                n += letters.isEmpty() ? 0 : letters.length() >= 5 ? 2 : 1;
                n += w.length() - letters.length();
            }
            return n;
        }

        @Override
        public boolean countsChat() {
            return false;
        }

        @Override
        public int countChat(String text) {
            throw new UnsupportedOperationException();
        }
    }

    private static ShapeWorkload shape(int sharedPrefix) {
        return shape(sharedPrefix, LengthSpec.uniform(80, 300));
    }

    private static ShapeWorkload shape(int sharedPrefix, LengthSpec input) {
        return new ShapeWorkload(ShapePreset.NONE, input, LengthSpec.fixed(8), sharedPrefix, true, "cl100k_base", null);
    }

    @Test
    void everySizedPromptIsExactInTheServersTokenizerAndKeepsTheSharedPrefix() throws Exception {
        PromptSource base = PromptSources.forWorkload(shape(24), 3);
        LongWordsTwice server = new LongWordsTwice();
        ServerSizedPrompts sized = ServerSizedPrompts.size(base, server, false, 100);
        String prefix = base.prompt(0).text().substring(0, 60);
        int before = 0;
        for (int i = 0; i < 100; i++) {
            Prompt p = sized.prompt(i);
            assertThat(server.count(p.text()))
                    .as("prompt %d", i)
                    .isEqualTo(base.prompt(i).inputTokens());
            assertThat(p.inputTokens()).isEqualTo(base.prompt(i).inputTokens());
            assertThat(p.outputTokens()).isEqualTo(base.prompt(i).outputTokens());
            assertThat(p.text()).startsWith(prefix);
            before += server.count(base.prompt(i).text()) == base.prompt(i).inputTokens() ? 1 : 0;
        }
        assertThat(before)
                .as("the fake tokenizer must differ, or the test shows nothing")
                .isLessThan(10);
        ServerTokenCheck check = sized.check();
        assertThat(check.exact()).isEqualTo(100);
        assertThat(check.sized()).isTrue();
        assertThat(check.before()).isGreaterThan(check.intended());
        assertThat(check.roundTrips()).isLessThanOrEqualTo(100L * ServerSizedPrompts.MAX_ROUND_TRIPS);
        assertThat(check.summary())
                .startsWith("sized 100 prompts in the server's tokenizer (fake POST /tokenize): 100 exact,");
        // Beyond the sized ones: the workload's prompt as it was.
        assertThat(sized.prompt(100)).isEqualTo(base.prompt(100));
        // A sized prompt's inputTokens is the server's count: the client counts the text itself.
        assertThat(sized.exactEncoding()).isNull();
        ClientTokens client = ClientTokens.forTrial("cl100k_base", sized);
        int differ = 0;
        for (int i = 0; i < 100; i++) {
            Prompt p = sized.prompt(i);
            int jtokkit = Tokenizers.forEncoding("cl100k_base").count(p.text());
            assertThat(client.count(ChatRequest.of(p), p)).isEqualTo(jtokkit);
            differ += jtokkit == p.inputTokens() ? 0 : 1;
        }
        assertThat(differ)
                .as("resizing must change the cl100k counts, or this shows nothing")
                .isGreaterThan(10);
    }

    @Test
    void aPromptWhoseProtectedPrefixAloneIsTooLongStaysInexactAndIsReported() throws Exception {
        // 24 shared + 4 marker cl100k tokens are more than 30 tokens of the fake tokenizer: they are
        // never trimmed, so no prompt can be made exact, and the summary says how far off they are.
        PromptSource base = PromptSources.forWorkload(shape(24, LengthSpec.fixed(30)), 3);
        ServerSizedPrompts sized = ServerSizedPrompts.size(base, new LongWordsTwice(), false, 10);
        ServerTokenCheck check = sized.check();
        assertThat(check.exact()).isLessThan(10);
        assertThat(check.worstOff()).isPositive();
        assertThat(check.summary()).contains(", the others within " + check.worstOff() + " tokens");
        assertThat(sized.prompt(0).text()).startsWith(base.prompt(0).text().substring(0, 60));
    }

    @Test
    void theTemplateShareIsWhatTheServerReportsBeyondItsRawCount() {
        // Sized: raw == intended, so all of the difference is template.
        ServerTokenCheck sized = new ServerTokenCheck("t", true, 10, 1000, 1000, null, 10, 0, 20, 1300);
        assertThat(sized.templateTokens(10, 1000, 1120)).isEqualTo(120);
        // Sampled at +30 %: of 1420 reported for 1000 intended, 1300 are the tokenizer, 120 the template.
        ServerTokenCheck sampled = new ServerTokenCheck("t", false, 8, 800, 1040, null, 0, 0, 8, 1040);
        assertThat(sampled.templateTokens(10, 1000, 1420)).isEqualTo(120);
        // Measured by the server (vLLM messages): per prompt times requests.
        ServerTokenCheck measured = new ServerTokenCheck("t", false, 8, 800, 1040, 7.0, 0, 0, 16, 1040);
        assertThat(measured.templateTokens(10, 1000, 1420)).isEqualTo(70);
    }

    private static TrialSpec trial(LoadModel load, Phase warmup, Phase measurement) {
        return new TrialSpec(
                "com.example.T.m",
                Map.of(),
                load,
                warmup,
                measurement,
                Duration.ofSeconds(10),
                shape(0),
                new EndpointSpec(Api.OPENAI_COMPLETIONS, "", "", "LLMH_UNSET"),
                SloSpec.NONE,
                1);
    }

    @Test
    void thePlannedRequestsBoundWhatIsSized() {
        assertThat(ServerTokens.planned(
                        trial(new ClosedLoopModel(2, Duration.ZERO), Phase.ofRequests(5), Phase.ofRequests(40))))
                .isEqualTo(45);
        assertThat(ServerTokens.planned(trial(
                        new OpenLoopModel(Arrival.POISSON, 4, 0),
                        Phase.NONE,
                        Phase.ofDuration(Duration.ofSeconds(20)))))
                .isEqualTo(80);
        assertThat(ServerTokens.planned(trial(
                        new ClosedLoopModel(2, Duration.ZERO), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(20)))))
                .isZero();
        // A rate shape expects the integral of its rate: a ramp from 0 to 10 requests/s over 20 s,
        // its first 4 s a warmup (2 requests/s at 4 s: 4 requests) and the rest its window (96).
        assertThat(ServerTokens.planned(trial(
                        dev.llmharness.api.spi.ShapedLoadModel.ramp(
                                Arrival.CONSTANT, 1, 0, 10, Duration.ofSeconds(20), 0),
                        Phase.ofDuration(Duration.ofSeconds(4)),
                        Phase.ofDuration(Duration.ofSeconds(16)))))
                .isEqualTo(100);
        // A trace's arrivals are in its file: not known before it is read.
        assertThat(ServerTokens.planned(trial(
                        new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0),
                        Phase.NONE,
                        Phase.ofDuration(Duration.ofSeconds(20)))))
                .isZero();
        assertThat(ServerSizedPrompts.count(80)).isEqualTo(80 + 8 + 64);
        assertThat(ServerSizedPrompts.count(0)).isEqualTo(ServerSizedPrompts.MAX_SIZED);
    }

    @Test
    void modesParseAndAnUnknownOneNamesTheChoices() {
        assertThat(ServerTokens.Mode.parse(null)).isEqualTo(ServerTokens.Mode.ENCODING);
        assertThat(ServerTokens.Mode.parse("Server")).isEqualTo(ServerTokens.Mode.SERVER);
        assertThatThrownBy(() -> ServerTokens.Mode.parse("llama"))
                .hasMessage("invalid --tokenizer llama: use encoding or server");
    }

    @Test
    void aServerWithoutTokenizeStopsASizedRunAndIsSkippedOtherwise() throws Exception {
        TrialSpec spec = trial(new ClosedLoopModel(1, Duration.ZERO), Phase.NONE, Phase.ofRequests(4));
        PromptSource base = PromptSources.forWorkload(spec.workload(), 1);
        try (MockWebServer none = new MockWebServer()) {
            for (int i = 0; i < 6; i++) {
                none.enqueue(
                        new MockResponse.Builder().code(404).body("not found").build());
            }
            none.start(java.net.InetAddress.getLoopbackAddress(), 0);
            Target target =
                    new Target("http://127.0.0.1:" + none.getPort(), Api.OPENAI_COMPLETIONS, "m", null, null, false);
            OkHttpClient http = new OkHttpClient();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> new ServerTokens(ServerTokens.Mode.SERVER, http, errs).prepare(base, spec, target))
                    .isInstanceOf(TargetUnavailableException.class)
                    .hasMessageStartingWith("--tokenizer server: http://127.0.0.1:" + none.getPort()
                            + " answers no POST /tokenize (llama.cpp, vLLM and TGI do; Ollama and hosted APIs do not)");
            // The default mode asks nothing before the load; after it, the check finds no tokenizer.
            PromptSource checked = new ServerTokens(ServerTokens.Mode.ENCODING, http, errs).prepare(base, spec, target);
            assertThat(checked.prompt(2)).isEqualTo(base.prompt(2));
            assertThat(none.getRequestCount()).isEqualTo(3);
            assertThat(((ServerSizedPrompts) checked).check()).isNull();
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }
}
