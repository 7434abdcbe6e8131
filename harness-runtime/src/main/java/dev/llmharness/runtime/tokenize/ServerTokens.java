package dev.llmharness.runtime.tokenize;

import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Before any load, asks each target's own tokenizer about a trial's prompts ({@code --tokenizer},
 * {@code llmh.tokenizer}):
 *
 * <ul>
 *   <li>{@link Mode#ENCODING} (default): prompts are sized in the workload's encoding; when the
 *       server has a {@code POST /tokenize}, {@value ServerSizedPrompts#SAMPLE} of them are counted
 *       in it, so that a trial's input-token warning can say how much of a difference is the
 *       tokenizer and how much the chat template. A server without one is not asked again.
 *   <li>{@link Mode#SERVER}: synthetic prompts are sized in the server's tokenizer
 *       ({@link ServerSizedPrompts}), with one line saying what was done. A server without {@code
 *       /tokenize} stops the run before any load (exit 2): a user who asked for exact server counts
 *       should not get approximate ones by surprise. Dataset prompts are not rewritten; they are
 *       counted as in the default mode.
 * </ul>
 */
public final class ServerTokens {
    /** How synthetic prompts are sized. */
    public enum Mode {
        ENCODING,
        SERVER;

        /**
         * {@code --tokenizer} / {@code llmh.tokenizer}: {@code encoding} (the workload's, the
         * default) or {@code server} (the server's {@code POST /tokenize}).
         */
        public static final Choice<Mode> SETTING = Choice.ofEnum(
                "llmh.tokenizer", "--tokenizer", values(), m -> m.name().toLowerCase(Locale.ROOT), ENCODING);

        /**
         * {@code encoding} or {@code server} (any case); {@code null} or empty is the default.
         *
         * @throws IllegalArgumentException for another value: {@code invalid --tokenizer llama: use
         *     encoding or server}
         */
        public static Mode parse(String text) {
            return text == null || text.isBlank() ? ENCODING : SETTING.parse(text);
        }
    }

    private final Mode mode;
    private final OkHttpClient http;
    private final PrintStream err;
    private final Map<String, ServerTokenizer> found = new HashMap<>();

    public ServerTokens(Mode mode, OkHttpClient http, PrintStream err) {
        this.mode = mode;
        this.http = http;
        this.err = err;
    }

    /**
     * The trial's prompts, sized or checked in the server's tokenizer.
     *
     * @throws TargetUnavailableException in {@link Mode#SERVER} when the server has no {@code
     *     /tokenize} or stops answering it
     */
    public PromptSource prepare(PromptSource source, TrialSpec spec, Target target) throws TargetUnavailableException {
        if (mode == Mode.ENCODING) {
            // Asked after the trial's load, when its result is built: no delay, no extra load.
            return ServerSizedPrompts.checkedLater(source, () -> sample(source, spec, target));
        }
        ServerTokenizer tokenizer;
        try {
            tokenizer = tokenizer(target);
        } catch (IOException e) {
            throw new TargetUnavailableException(spec.id() + ": --tokenizer server: " + target.displayUrl() + PATH_TEXT
                    + " could not be asked (" + e.getMessage() + ")");
        }
        if (tokenizer == null) {
            throw new TargetUnavailableException("--tokenizer server: " + target.displayUrl()
                    + " answers no POST /tokenize (llama.cpp, vLLM and TGI do; Ollama and hosted APIs do not);"
                    + " run without --tokenizer server to size prompts in the workload's encoding");
        }
        boolean chat = target.api().takesMessages();
        if (!(spec.workload() instanceof ShapeWorkload)) {
            err.println("llmh: " + spec.id() + ": --tokenizer server sizes synthetic prompts only; this"
                    + " trial's dataset prompts are counted in the server's tokenizer, not rewritten");
            return ServerSizedPrompts.checkedLater(source, () -> sample(source, spec, target));
        }
        try {
            long planned = planned(spec);
            ServerSizedPrompts sized =
                    ServerSizedPrompts.size(source, tokenizer, chat, ServerSizedPrompts.count(planned));
            err.println("llmh: " + spec.id() + ": " + sized.check().summary()
                    + (planned == 0 || ServerSizedPrompts.count(planned) >= ServerSizedPrompts.MAX_SIZED
                            ? "; prompts beyond " + ServerSizedPrompts.MAX_SIZED + " keep the encoding's size"
                            : ""));
            return sized;
        } catch (IOException e) {
            throw new TargetUnavailableException(
                    spec.id() + ": --tokenizer server: " + tokenizer.endpoint() + " failed: " + e.getMessage(), e);
        }
    }

    /** The sample check of the default mode; {@code null} when the server has no tokenizer or fails. */
    private ServerTokenCheck sample(PromptSource source, TrialSpec spec, Target target) {
        try {
            ServerTokenizer tokenizer = tokenizer(target);
            if (tokenizer == null) {
                return null;
            }
            return ServerSizedPrompts.sample(source, tokenizer, target.api().takesMessages())
                    .check();
        } catch (IOException | RuntimeException e) {
            err.println("llmh: WARNING " + spec.id() + ": the server's POST /tokenize failed (" + e.getMessage()
                    + "); input tokens are not split into tokenizer and template shares");
            return null;
        }
    }

    /**
     * The requests a trial will send: its request counts, or what its load expects over its timed
     * phases ({@link dev.llmharness.api.spi.LoadModel#expectedArrivals}, the warmup from the trial
     * start, the window after it); {@code 0} when not known (a closed loop over time, a trace).
     */
    static long planned(TrialSpec spec) {
        long total = 0;
        java.time.Duration at = java.time.Duration.ZERO;
        for (dev.llmharness.api.spi.Phase phase :
                new dev.llmharness.api.spi.Phase[] {spec.warmup(), spec.measurement()}) {
            if (phase.countsRequests()) {
                total += phase.requests();
            } else if (!phase.isEmpty()) {
                java.time.Duration end = at.plus(phase.duration());
                java.util.OptionalDouble expected = spec.load().expectedArrivals(at, end);
                if (expected.isEmpty()) {
                    return 0;
                }
                total += (long) Math.ceil(expected.getAsDouble());
                at = end;
            }
        }
        return total;
    }

    private static final String PATH_TEXT = " POST " + ServerTokenizers.PATH;

    private synchronized ServerTokenizer tokenizer(Target target) throws IOException {
        String key = target.baseUrl() + " " + target.model();
        if (found.containsKey(key)) {
            return found.get(key);
        }
        ServerTokenizer t = ServerTokenizers.discover(http, target.baseUrl(), target.model(), target.apiKey());
        found.put(key, t);
        return t;
    }
}
