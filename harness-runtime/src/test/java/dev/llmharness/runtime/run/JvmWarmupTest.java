package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JVM warm-up sends real requests through the real transport, decoders and recorder to an
 * in-process simulator, and none to the run's target. Counts only: no timing is asserted.
 */
class JvmWarmupTest {
    private static final TokenCounter COUNTER = TokenCounter.contentEvents();

    /** A budget no phase reaches on a busy build machine, so that the counts are exact. */
    private static final long GENEROUS = 120_000_000_000L;

    private static JvmWarmup warmup(TransportKind kind, int requests) {
        return new JvmWarmup(kind, ClientTimeouts.defaults(), requests, "127.0.0.1", GENEROUS);
    }

    /** The run's target: a simulator of its own, so that any warm-up request reaching it is counted. */
    private static SimServer userServer() {
        return SimServer.start(SimConfig.preset("zero").toBuilder().port(0).build());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void sendsItsRequestsThroughTheRunsTransportToItsOwnSimulatorAndNoneToTheTarget(TransportKind kind)
            throws Exception {
        try (SimServer user = userServer()) {
            Target chat = new Target(user.baseUrl(), Api.OPENAI_CHAT, "user-model", null, null, true);
            Target llama = new Target(user.baseUrl(), Api.LLAMACPP_COMPLETION, "user-model", null, null, true);
            // Two APIs, two phases each (open and closed loop): 100 requests per phase.
            JvmWarmup.Report r = warmup(kind, 400).run(List.of(chat, llama, chat), t -> COUNTER);

            assertThat(r.transport()).isEqualTo(kind);
            assertThat(r.apis()).containsExactly(Api.OPENAI_CHAT, Api.LLAMACPP_COMPLETION);
            assertThat(r.requests()).isEqualTo(400);
            assertThat(r.completed()).isEqualTo(400);
            // The simulator answered each one, and the decoders read every token into the recorder.
            assertThat(r.served()).isEqualTo(400);
            assertThat(r.outputTokens()).isEqualTo(400L * JvmWarmup.OUTPUT_TOKENS);
            assertThat(r.describe()).contains("400 requests on the " + kind.label() + " transport");
            // The target saw nothing at all: not a request, not a connection.
            assertThat(user.connectionsAccepted()).isZero();
            assertThat(user.groundTruth(false)).isEmpty();
        }
    }

    @Test
    void everyApiAndTheUnstreamedPathAreWarmedByTheirOwnDecoders() throws Exception {
        List<Target> targets = new java.util.ArrayList<>(Arrays.stream(Api.values())
                .map(a -> new Target("http://127.0.0.1:1", a, "m", null, null, true))
                .toList());
        targets.add(new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "m", null, null, true, false));
        int kinds = targets.size();
        JvmWarmup.Report r = warmup(TransportKind.THREADS, 2 * 20 * kinds).run(targets, t -> COUNTER);
        assertThat(r.requests()).isEqualTo(40L * kinds);
        assertThat(r.completed()).isEqualTo(40L * kinds);
        assertThat(r.served()).isEqualTo(40L * kinds);
        // Every answer's tokens were read and recorded. TGI and Ollama requests carry no "ignore
        // EOS", so the simulator may end them early: at least one token each, at most the 32 asked.
        assertThat(r.outputTokens()).isBetween(40L * kinds, 40L * kinds * JvmWarmup.OUTPUT_TOKENS);
    }

    @Test
    void aPhaseStillRunningAtItsShareOfTheBudgetIsStoppedAndTheRestStillRun() throws Exception {
        Target chat = new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "m", null, null, true);
        // 1 ms for both phases: far too little for 100,000 requests; each phase still starts.
        JvmWarmup.Report r = new JvmWarmup(
                        TransportKind.THREADS, ClientTimeouts.defaults(), 200_000, "127.0.0.1", 1_000_000L)
                .run(List.of(chat), t -> COUNTER);
        assertThat(r.cut()).isEqualTo(2);
        assertThat(r.requests()).isLessThan(200_000);
        assertThat(r.describe()).contains("(2 of its phases stopped at the time budget)");
    }

    @Test
    void offSendsNothingAndRecordsOff() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SimServer user = userServer()) {
            Target chat = new Target(user.baseUrl(), Api.OPENAI_CHAT, "m", null, null, true);
            String recorded = new JvmWarmup(TransportKind.THREADS, ClientTimeouts.defaults(), 400)
                    .ensure(AutoOff.OFF, List.of(chat), t -> COUNTER, new PrintStream(err, true));
            assertThat(recorded).isEqualTo(JvmWarmup.OFF);
            assertThat(err.toString()).isEmpty();
            assertThat(user.connectionsAccepted()).isZero();
        }
    }

    @Test
    void autoWarmsOncePerJvmAndPrintsOneLine() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Target chat = new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "m", null, null, true);
        JvmWarmup.forgetForTests(); // another test of this JVM may have warmed it
        JvmWarmup w = warmup(TransportKind.EVENT_LOOP, 100);
        assertThat(w.ensure(AutoOff.AUTO, List.of(chat), t -> COUNTER, new PrintStream(first, true)))
                .isEqualTo(JvmWarmup.ON);
        assertThat(w.ensure(AutoOff.AUTO, List.of(chat), t -> COUNTER, new PrintStream(second, true)))
                .isEqualTo(JvmWarmup.ON);
        // One line, from the first call only.
        assertThat(first.toString())
                .matches("llmh: JVM warm-up: 100 requests on the event-loop transport \\(openai_chat\\) in .*\\R");
        assertThat(second.toString()).isEmpty();
    }

    @Test
    void aWarmupThatCannotRunIsOneWarningAndTheRunGoesOn() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Target chat = new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "m", null, null, true);
        JvmWarmup.forgetForTests(); // another test of this JVM may have warmed it
        // 192.0.2.1 (TEST-NET-1) is no address of this machine: the simulator cannot bind it.
        String recorded = new JvmWarmup(TransportKind.THREADS, ClientTimeouts.defaults(), 100, "192.0.2.1", GENEROUS)
                .ensure(AutoOff.AUTO, List.of(chat), t -> COUNTER, new PrintStream(err, true));
        assertThat(recorded).isEqualTo(JvmWarmup.FAILED);
        assertThat(err.toString().lines().toList())
                .singleElement()
                .asString()
                .startsWith("llmh: WARNING the JVM warm-up failed (")
                .endsWith("the run goes on, and its first trial may be measured while the JIT still compiles");
    }

    @Test
    void theModeParsesAsTheOptionIsWritten() {
        assertThat(JvmWarmup.SETTING.parse("auto")).isEqualTo(AutoOff.AUTO);
        assertThat(JvmWarmup.SETTING.parse(" ON ")).isEqualTo(AutoOff.AUTO);
        assertThat(JvmWarmup.SETTING.parse("Off")).isEqualTo(AutoOff.OFF);
        assertThat(AutoOff.OFF.label()).isEqualTo("off");
        assertThatThrownBy(() -> JvmWarmup.SETTING.parse("later"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid --jvm-warmup later: use auto or off");
        String before = System.getProperty(JvmWarmup.PROPERTY);
        try {
            System.setProperty(JvmWarmup.PROPERTY, "off");
            assertThat(JvmWarmup.SETTING.parse(null)).isEqualTo(AutoOff.OFF);
            System.clearProperty(JvmWarmup.PROPERTY);
            assertThat(JvmWarmup.SETTING.parse(" ")).isEqualTo(AutoOff.AUTO);
        } finally {
            if (before == null) {
                System.clearProperty(JvmWarmup.PROPERTY);
            } else {
                System.setProperty(JvmWarmup.PROPERTY, before);
            }
        }
    }
}
