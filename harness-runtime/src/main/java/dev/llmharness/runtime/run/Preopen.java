package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Preopened;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * How many connections are opened to the target before each trial ({@code --preopen}, {@code
 * -Dllmh.preopen}), so that a load's peak finds them idle in the pool rather than connecting
 * (and, on https, shaking hands) after {@code sent}, hundreds at once on the harness's core at a
 * spike's jump. {@code auto}: the load's peak in flight ({@link LoadModel#peakInFlight}) with
 * requests of {@link #PER_REQUEST}, at most {@link #MAX}; {@code off}: none; a number: that many.
 *
 * @param connections {@code -1} for auto, else the number to have open, {@code >= 0}
 */
public record Preopen(int connections) {
    /** System property of the default. */
    public static final String PROPERTY = "llmh.preopen";

    /**
     * The request duration {@code auto} assumes, 1 s: the peak rate's arrivals of one second (or a
     * closed loop's workers). Longer requests get their further connections as the load grows;
     * shorter ones leave idle connections that cost the server a socket each.
     */
    public static final Duration PER_REQUEST = Duration.ofSeconds(1);

    /** The most connections {@code auto} opens before one trial: 1,024. */
    public static final int MAX = 1024;

    /** Little's law at the load's peak. */
    public static final Preopen AUTO = new Preopen(-1);

    /** No connection opened ahead: each request connects when the pool has none idle. */
    public static final Preopen OFF = new Preopen(0);

    public Preopen {
        if (connections < -1) {
            throw new IllegalArgumentException("connections must be >= 0, or -1 for auto, got " + connections);
        }
    }

    /**
     * {@code auto}, {@code off} or a number of connections; {@code null} or blank gives {@link
     * #fromProperty()}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Preopen parse(String text) {
        if (text == null || text.isBlank()) {
            return fromProperty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto", "on" -> {
                return AUTO;
            }
            case "off", "0" -> {
                return OFF;
            }
            default -> {
                try {
                    int n = Integer.parseInt(t);
                    if (n > 0) {
                        return new Preopen(n);
                    }
                } catch (NumberFormatException e) {
                    // the message below
                }
                throw new IllegalArgumentException(
                        "--preopen must be auto, off or a number of connections >= 0, got '" + text.strip() + "'");
            }
        }
    }

    /** {@code -Dllmh.preopen}, else {@link #AUTO}. */
    public static Preopen fromProperty() {
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? AUTO : parse(p);
    }

    /** Connections to have open before a trial of {@code load}: 0 for none. */
    public int wanted(LoadModel load) {
        if (connections >= 0) {
            return connections;
        }
        return Math.min(MAX, load.peakInFlight(PER_REQUEST).orElse(0));
    }

    /**
     * Opens the connections a trial of {@code load} wants through {@code client}'s transport
     * (before the trial's first scheduled instant: never inside a measured window), and says once
     * on {@code log} when connects failed: those are not request failures.
     */
    Preopened open(LoadModel load, LlmClient client, PrintStream log) throws InterruptedException {
        int wanted = wanted(load);
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
