package dev.llmharness.runtime.run;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.ClientTransport;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.settings.AutoOff;
import dev.llmharness.runtime.settings.Choice;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Warms the JVM's request path once per JVM, before the first trial ({@code --jvm-warmup}, {@code
 * -Dllmh.jvmWarmup}). The compiler threads run at idle priority ({@link
 * dev.llmharness.runtime.load.IdlePriority}), so on a busy core they compile late: without this,
 * the first measured window of a fresh JVM ran while C1/C2 were still compiling the send, read,
 * decode and record path, and its dispatch lag said "harness-limited".
 *
 * <p>The traffic is real but goes nowhere near the user's server: an in-process simulator ({@link
 * SimServer}, {@code zero} preset, an ephemeral port on 127.0.0.1, every engine's routes) answers
 * short streams through the same {@link TrialRunner}, the same transport kind and the same protocol
 * decoders the run uses, one open-loop and one closed-loop phase per API the run speaks. The results
 * are thrown away. Then it waits until the JIT has been quiet for {@link #QUIET_NANOS}, at most
 * {@link #MAX_QUIET_WAIT_NANOS}: the idle-priority compilers catch up only once the core is free.
 *
 * <p>A failure (no port, anything) never fails the run: one warning line, and the run goes on.
 */
public final class JvmWarmup {
    /** System property of the default ({@code auto} or {@code off}). */
    public static final String PROPERTY = "llmh.jvmWarmup";

    /** What {@code run.jvmWarmup} records when this JVM was warmed before the run's first trial. */
    public static final String ON = "on";

    /** What {@code run.jvmWarmup} records when warming was turned off. */
    public static final String OFF = "off";

    /** What {@code run.jvmWarmup} records when warming was tried in this JVM and failed. */
    public static final String FAILED = "failed";

    /** Requests of the whole warm-up, shared between the APIs the run speaks: 4,000. */
    public static final int DEFAULT_REQUESTS = 4_000;

    /** Output tokens of each warm-up request: enough token events per request to compile the decoder. */
    static final int OUTPUT_TOKENS = 32;

    /** Prompt tokens of each warm-up request. */
    static final int INPUT_TOKENS = 64;

    /** Offered rate of the open-loop phase: 1,000 req/s, a few in flight against the zero-latency simulator. */
    static final double OPEN_RATE = 1_000;

    /** Requests in flight the warm-up's transport is sized for. */
    private static final int PEAK_IN_FLIGHT = 64;

    /** Workers of the closed-loop phase. */
    static final int WORKERS = 4;

    /**
     * The most wall time the traffic may take, 4 s, shared evenly by the phases: a phase still
     * running at its share is stopped (on a busy core, a cold JVM can take several milliseconds
     * per request, and the warm-up must stay cheap).
     */
    static final long TRAFFIC_BUDGET_NANOS = 4_000_000_000L;

    /** How long the total compilation time must stay still to count as quiet: 200 ms. */
    static final long QUIET_NANOS = 200_000_000L;

    /** The longest wait for a quiet compiler: 3 s. */
    static final long MAX_QUIET_WAIT_NANOS = 3_000_000_000L;

    private static final long POLL_MILLIS = 20;

    /** Whether a warm-up ran in this JVM: it succeeds at most once (a failed one is tried again by the next run). */
    private static boolean warmed;

    /**
     * The setting ({@code --jvm-warmup}, {@value #PROPERTY}): {@code auto} (before the first trial
     * of the JVM; {@code on}, as results record it, is read as {@code auto}) or {@code off}, {@code
     * auto} when not set.
     */
    public static final Choice<AutoOff> SETTING =
            AutoOff.choice(PROPERTY, "--jvm-warmup").alias(ON, AutoOff.AUTO);

    /**
     * What one warm-up did.
     *
     * @param requests requests the warm-up's trials sent
     * @param completed those that completed
     * @param outputTokens output tokens the decoders read and the recorders counted
     * @param served generation requests the simulator answered
     * @param transport the transport the requests went through
     * @param apis the APIs (wire protocols) warmed
     * @param trafficNanos wall time from the simulator's start to its stop, nanoseconds
     * @param quietAfterNanos wall time after the traffic until the compiler was quiet (or the wait
     *     gave up), nanoseconds
     * @param quiet whether the compiler went quiet within {@link #MAX_QUIET_WAIT_NANOS}
     * @param cut phases stopped at their share of {@link #TRAFFIC_BUDGET_NANOS}
     */
    public record Report(
            long requests,
            long completed,
            long outputTokens,
            long served,
            TransportKind transport,
            List<Api> apis,
            long trafficNanos,
            long quietAfterNanos,
            boolean quiet,
            int cut) {
        /** The console line, without the {@code llmh: } prefix. */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "JVM warm-up: %,d requests on the %s transport (%s) in %.1f s%s, compiler %s after %.1f s",
                    requests,
                    transport.label(),
                    apis.stream()
                            .map(a -> a.name().toLowerCase(Locale.ROOT))
                            .reduce((x, y) -> x + ", " + y)
                            .orElse(""),
                    trafficNanos / 1e9,
                    cut == 0 ? "" : " (" + cut + " of its phases stopped at the time budget)",
                    quiet ? "quiet" : "still busy",
                    quietAfterNanos / 1e9);
        }
    }

    private final String host;
    private final long budgetNanos;
    private final TransportKind transport;
    private final ClientTimeouts timeouts;
    private final int totalRequests;
    private volatile boolean interrupted;
    private volatile TrialRunner current;

    /**
     * @param transport the run's transport kind: the warm-up sends through a transport of that kind
     * @param timeouts the run's timeouts
     * @param totalRequests requests of the whole warm-up, shared evenly between the APIs and their
     *     two phases (at least one per phase)
     */
    public JvmWarmup(TransportKind transport, ClientTimeouts timeouts, int totalRequests) {
        this(transport, timeouts, totalRequests, "127.0.0.1", TRAFFIC_BUDGET_NANOS);
    }

    /**
     * With the simulator on {@code host} (tests give one that cannot be bound) and another budget
     * for the traffic (tests that count requests give a generous one), nanoseconds.
     */
    JvmWarmup(TransportKind transport, ClientTimeouts timeouts, int totalRequests, String host, long budgetNanos) {
        this.host = host;
        this.budgetNanos = budgetNanos;
        this.transport = transport;
        this.timeouts = timeouts;
        this.totalRequests = totalRequests;
    }

    /**
     * Warms the JVM for {@code targets} unless {@code mode} is off or this JVM was warmed already,
     * and says what {@code run.jvmWarmup} records. Prints the warm-up's line, or one warning when it
     * failed (the next run tries again), on {@code err}; never throws but for an interruption.
     *
     * @param targets the run's resolved targets: their APIs and streaming are warmed, never their
     *     servers contacted
     * @param counters the token counter of each target's trial (output tokens when a server sends no
     *     usage)
     */
    public String ensure(AutoOff mode, List<Target> targets, Function<Target, TokenCounter> counters, PrintStream err)
            throws InterruptedException {
        if (mode == AutoOff.OFF) {
            return OFF;
        }
        synchronized (JvmWarmup.class) {
            if (warmed) {
                return ON;
            }
            try {
                Report r = run(targets, counters);
                if (interrupted) {
                    throw new InterruptedException("interrupted during the JVM warm-up");
                }
                err.println("llmh: " + r.describe());
                warmed = true;
                return ON;
            } catch (RuntimeException | LinkageError e) {
                err.println("llmh: WARNING the JVM warm-up failed (" + e
                        + "); the run goes on, and its first trial may be measured while the JIT still compiles");
                return FAILED;
            }
        }
    }

    /** Forgets that this JVM was warmed, so that a test sees {@link #ensure} try again. */
    static synchronized void forgetForTests() {
        warmed = false;
    }

    /** Stops the warm-up at once (Ctrl-C); {@link #ensure} then throws {@link InterruptedException}. */
    public void interrupt() {
        interrupted = true;
        TrialRunner r = current;
        if (r != null) {
            r.interrupt();
        }
    }

    /**
     * Sends the warm-up's traffic to an in-process simulator and waits for the compiler: the work of
     * {@link #ensure}, without its once-per-JVM guard (tests call it directly).
     */
    Report run(List<Target> targets, Function<Target, TokenCounter> counters) throws InterruptedException {
        Map<String, Target> kinds = new LinkedHashMap<>();
        for (Target t : targets) {
            kinds.putIfAbsent(t.api() + "|" + t.stream(), t);
        }
        int perPhase = Math.max(1, totalRequests / Math.max(1, 2 * kinds.size()));
        // Ground truth kept per phase (drained after each) only to count what the simulator served.
        SimConfig config = SimConfig.preset("zero").toBuilder()
                .host(host)
                .port(0)
                .groundTruthCapacity(Math.max(10_000, 2 * perPhase))
                .build();
        long requests = 0;
        long completed = 0;
        long outputTokens = 0;
        long served = 0;
        int cut = 0;
        long budget = budgetNanos / (2L * kinds.size());
        List<Api> apis = new ArrayList<>();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        long start = System.nanoTime();
        try (SimServer sim = SimServer.start(config)) {
            ClientTransport client = transport.open(PEAK_IN_FLIGHT, timeouts);
            try {
                for (Target t : kinds.values()) {
                    Target local = new Target(sim.baseUrl(), t.api(), config.model(), null, null, true, t.stream());
                    apis.add(t.api());
                    for (LoadModel load : List.<LoadModel>of(
                            new OpenLoopModel(Arrival.POISSON, OPEN_RATE, 0),
                            new ClosedLoopModel(WORKERS, Duration.ZERO))) {
                        if (interrupted) {
                            break;
                        }
                        TrialResult r = phase(local, load, perPhase, budget, client, counters.apply(t), discard);
                        if (r.counts().sent() < perPhase) {
                            cut++;
                        }
                        requests += r.counts().sent();
                        completed += r.counts().completed();
                        outputTokens += r.tokens().output();
                        served += sim.groundTruth(true).size();
                    }
                }
            } finally {
                client.close();
            }
        }
        long trafficEnd = System.nanoTime();
        boolean quiet = interrupted || awaitQuietCompiler();
        long end = System.nanoTime();
        return new Report(
                requests,
                completed,
                outputTokens,
                served,
                transport,
                apis,
                trafficEnd - start,
                end - trafficEnd,
                quiet,
                cut);
    }

    private TrialResult phase(
            Target target,
            LoadModel load,
            int count,
            long budgetNanos,
            ClientTransport transport,
            TokenCounter counter,
            PrintStream discard)
            throws InterruptedException {
        TrialSpec spec = new TrialSpec(
                "llmh.JvmWarmup." + target.api().name().toLowerCase(Locale.ROOT),
                Map.of(),
                load,
                Phase.NONE,
                Phase.ofRequests(count),
                Duration.ofSeconds(10),
                new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.fixed(INPUT_TOKENS),
                        LengthSpec.fixed(OUTPUT_TOKENS),
                        0,
                        true,
                        Defaults.ENCODING,
                        null),
                new EndpointSpec(target.api(), target.baseUrl(), target.model(), ""),
                SloSpec.NONE,
                1L);
        RequestFactory factory = target.api().takesMessages() ? ChatRequest::of : CompletionRequest::of;
        LlmClient client = new LlmClient(transport, target, counter, timeouts);
        TrialRunner runner = new TrialRunner(
                        spec, factory, PromptSources.forWorkload(spec.workload(), spec.seed()), client, null, discard)
                .preopen(Preopen.OFF);
        current = runner;
        if (interrupted) {
            runner.interrupt();
        }
        // The phase's share of the budget: a daemon timer stops it (as Ctrl-C would) when it is up.
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread th = new Thread(r, "llmh-warmup-timer");
                    th.setDaemon(true);
                    return th;
                });
        try {
            timer.schedule(runner::interrupt, budgetNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            return runner.run();
        } finally {
            timer.shutdownNow();
            current = null;
        }
    }

    /**
     * Waits until the JVM's total compilation time has not grown for {@link #QUIET_NANOS}, at most
     * {@link #MAX_QUIET_WAIT_NANOS}; true if it went quiet (also when the JVM does not say).
     */
    static boolean awaitQuietCompiler() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return true;
        }
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        long stillSince = start;
        while (true) {
            Thread.sleep(POLL_MILLIS);
            long now = System.nanoTime();
            long total = jit.getTotalCompilationTime();
            if (total != last) {
                last = total;
                stillSince = now;
            } else if (now - stillSince >= QUIET_NANOS) {
                return true;
            }
            if (now - start >= MAX_QUIET_WAIT_NANOS) {
                return false;
            }
        }
    }
}
