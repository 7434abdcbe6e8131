package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Preopened;
import dev.llmharness.runtime.settings.Choice;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How many connections are opened to the target before a trial's load needs them ({@code
 * --preopen}, {@code -Dllmh.preopen}), so that a load's peak finds them idle in the pool rather
 * than connecting (and, on https, shaking hands) after {@code sent}, hundreds at once on the
 * harness's core at a spike's jump. {@code off}: none; a number: that many; {@code auto} ({@link
 * #size}): Little's law at the load's peak with how long its requests hold a connection as measured
 * against this target (the trial's own warmup, or the run's previous trial of the same benchmark),
 * never more than the server says it serves at once, nor {@link #MAX}.
 *
 * @param connections {@code -1} for auto, else the number to have open, {@code >= 0}
 */
public record Preopen(int connections) {
    /** System property of the default. */
    public static final String PROPERTY = "llmh.preopen";

    /**
     * The request duration {@code auto} assumes when nothing has been measured against the target
     * yet (a first trial without a warmup), 1 s: the peak rate's arrivals of one second.
     */
    public static final Duration ASSUMED = Duration.ofSeconds(1);

    /**
     * Measured hold times are multiplied by this, 2: a load's peak lengthens its requests (they
     * queue for the server's slots), and a p99 of a few dozen warmup requests is itself a rough
     * figure.
     */
    public static final double HEADROOM = 2;

    /** The most connections {@code auto} opens before one trial: 1,024. */
    public static final int MAX = 1024;

    /** Little's law at the load's peak. */
    public static final Preopen AUTO = new Preopen(-1);

    /** No connection opened ahead: each request connects when the pool has none idle. */
    public static final Preopen OFF = new Preopen(0);

    /**
     * How long requests held their connection (from {@code sent} to their end), as measured.
     *
     * @param p99 the 99th percentile of the hold times, {@code > 0}
     * @param requests how many requests were measured, {@code >= 1}
     * @param source what was measured, for the console line: e.g. {@code "warmup requests"}
     */
    public record Measured(Duration p99, long requests, String source) {
        public Measured {
            if (p99.isNegative() || p99.isZero() || requests < 1) {
                throw new IllegalArgumentException(
                        "a measured hold time needs p99 > 0 and requests >= 1, got " + p99 + " over " + requests);
            }
        }
    }

    /**
     * What {@link #size} decided.
     *
     * @param wanted connections to have open, {@code >= 0}
     * @param basis why, with the estimate's inputs, for the console and {@code window.connections}
     */
    public record Sizing(int wanted, String basis) {}

    public Preopen {
        if (connections < -1) {
            throw new IllegalArgumentException("connections must be >= 0, or -1 for auto, got " + connections);
        }
    }

    /**
     * The setting ({@code --preopen}, {@value #PROPERTY}): {@code auto} (or {@code on}), {@code off}
     * (or {@code 0}) or a number of connections, {@code auto} when not set.
     */
    public static final Choice<Preopen> SETTING = Choice.of(PROPERTY, "--preopen", labels(), AUTO)
            .alias("on", AUTO)
            .alias("0", OFF)
            .orElse("a number of connections", text -> {
                try {
                    int n = Integer.parseInt(text);
                    return n > 0 ? new Preopen(n) : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            });

    private static Map<String, Preopen> labels() {
        Map<String, Preopen> labels = new LinkedHashMap<>();
        labels.put("auto", AUTO);
        labels.put("off", OFF);
        return labels;
    }

    /**
     * {@code auto}, {@code off} or a number of connections; {@code null} or blank gives {@link
     * #fromProperty()}.
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted values
     */
    public static Preopen parse(String text) {
        return SETTING.parse(text);
    }

    /**
     * {@code -Dllmh.preopen}, else {@link #AUTO}.
     *
     * @throws IllegalArgumentException naming the property, the value and the accepted values
     */
    public static Preopen fromProperty() {
        return SETTING.fromProperty();
    }

    /**
     * Whether {@link #size} depends on how long {@code load}'s requests take: {@code auto} with an
     * open loop (a closed loop's peak is its workers, a trace's is unknown beforehand).
     */
    public boolean sizedByDuration(LoadModel load) {
        return connections < 0
                && load.peakInFlight(Duration.ZERO).isPresent()
                && load.peakInFlight(Duration.ZERO).getAsInt()
                        != load.peakInFlight(ASSUMED).getAsInt();
    }

    /** Connections to have open before a trial of {@code load} when nothing is known: 0 for none. */
    public int wanted(LoadModel load) {
        return size(load, null, OptionalInt.empty()).wanted();
    }

    /**
     * The connections to have open for {@code load}'s peak. A number or {@code off} is taken as
     * given. {@code auto}: the load's peak in flight ({@link LoadModel#peakInFlight}) with requests
     * holding their connection {@link #HEADROOM} times the measured p99, or {@link #ASSUMED} when
     * nothing was measured; for a closed loop its workers whatever the duration; none for a trace,
     * whose peak is in its file. Then at most {@link #MAX}, and at most {@code serverSlots}: a
     * server that says how many requests it serves at once (llama.cpp's {@code total_slots}, TGI's
     * {@code max_concurrent_requests}) queues the rest, so connections beyond its slots buy nothing
     * at the peak, while a server with a thread per connection (llama.cpp's HTTP pool of at least
     * its slots plus 2 threads) has each idle one hold a thread that its requests then wait for.
     *
     * @param measured how long requests held their connection against this target, or {@code null}
     * @param serverSlots requests the server serves at once, when it says so
     */
    public Sizing size(LoadModel load, Measured measured, OptionalInt serverSlots) {
        if (connections == 0) {
            return new Sizing(0, "--preopen off");
        }
        if (connections > 0) {
            return new Sizing(connections, "--preopen " + connections);
        }
        Duration perRequest = measured == null ? ASSUMED : scaled(measured.p99(), HEADROOM);
        OptionalInt peak = load.peakInFlight(perRequest);
        if (peak.isEmpty()) {
            return new Sizing(0, "a trace's peak is in its file");
        }
        StringBuilder basis = new StringBuilder();
        int workers = load.peakInFlight(Duration.ZERO).orElse(0);
        if (workers == peak.getAsInt() && workers == load.peakInFlight(ASSUMED).orElse(0)) {
            basis.append("its ").append(workers).append(workers == 1 ? " worker" : " workers");
        } else {
            basis.append("peak ")
                    .append(load.peakInFlight(Duration.ofSeconds(1)).orElse(0))
                    .append(" req/s x ")
                    .append(millis(perRequest))
                    .append(
                            measured == null
                                    ? " (assumed: nothing measured against the target yet)"
                                    : " (" + trim(HEADROOM) + " x p99 " + millis(measured.p99()) + " of "
                                            + measured.requests() + " " + measured.source() + ")");
            if (peak.getAsInt() == load.peakInFlight(Duration.ofHours(1)).orElse(-1)) {
                basis.append(", within its maxInFlight");
            }
        }
        int n = peak.getAsInt();
        if (n > MAX) {
            n = MAX;
            basis.append(", at most ").append(MAX);
        }
        if (serverSlots.isPresent() && n > serverSlots.getAsInt()) {
            n = serverSlots.getAsInt();
            basis.append(", at most the server's ").append(n).append(" slots");
        }
        return new Sizing(n, basis.toString());
    }

    private static Duration scaled(Duration d, double factor) {
        return Duration.ofNanos(Math.max(1, Math.round(d.toNanos() * factor)));
    }

    private static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms >= 1000 ? String.format(Locale.ROOT, "%.3g s", ms / 1000) : String.format(Locale.ROOT, "%.3g ms", ms);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Opens the connections of {@code sizing} through {@code client}'s transport (outside any
     * measured window), and says once on {@code log} when connects failed: those are not request
     * failures.
     */
    static Preopened open(Sizing sizing, LlmClient client, PrintStream log) throws InterruptedException {
        int wanted = sizing.wanted();
        if (wanted == 0) {
            return Preopened.NONE;
        }
        Preopened p = client.preopen(wanted);
        if (p.failed() > 0) {
            log.println("llmh: WARNING opening " + wanted + " connections before the load: " + p.failed()
                    + " connects failed (first: " + p.failure()
                    + "); its requests connect as they go, and none of them failed for it");
        }
        return p;
    }

    /** As the option is written: {@code auto}, {@code off} or the number. */
    public String label() {
        return connections < 0 ? "auto" : connections == 0 ? "off" : Integer.toString(connections);
    }
}
