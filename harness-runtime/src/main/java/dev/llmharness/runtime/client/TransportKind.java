package dev.llmharness.runtime.client;

import dev.llmharness.runtime.settings.Choice;

/**
 * The client transports ({@code --transport}, {@code -Dllmh.transport}), recorded in each result's
 * run info so that {@code llmh compare} shows when two runs used different ones.
 */
public enum TransportKind {
    /** OkHttp's blocking calls, each on its request's thread. */
    THREADS("threads") {
        @Override
        public ClientTransport open(int maxConcurrent, ClientTimeouts timeouts) {
            return new OkHttpTransport(HttpClients.forLoad(maxConcurrent, timeouts), timeouts, true);
        }

        @Override
        public ClientTransport openSharing(okhttp3.OkHttpClient http, int maxConcurrent, ClientTimeouts timeouts) {
            return new OkHttpTransport(http, timeouts, false);
        }
    },
    /**
     * One event loop (Netty, epoll where native epoll is available) sends every request at its
     * instant and reads every stream; the request threads only build and then wait.
     */
    EVENT_LOOP("event-loop") {
        @Override
        public ClientTransport open(int maxConcurrent, ClientTimeouts timeouts) {
            return new EventLoopTransport(timeouts);
        }

        @Override
        public ClientTransport openSharing(okhttp3.OkHttpClient http, int maxConcurrent, ClientTimeouts timeouts) {
            return open(maxConcurrent, timeouts);
        }
    };

    /** System property of the default transport. */
    public static final String PROPERTY = "llmh.transport";

    /** The transport when none is chosen. */
    public static final TransportKind DEFAULT = THREADS;

    private final String label;

    TransportKind(String label) {
        this.label = label;
    }

    /** The option's value: {@code threads} or {@code event-loop}. */
    public String label() {
        return label;
    }

    /**
     * The setting ({@code --transport}, {@code -Dllmh.transport}): {@code threads} or {@code
     * event-loop}, {@link #DEFAULT} when not set.
     */
    public static final Choice<TransportKind> SETTING =
            Choice.ofEnum(PROPERTY, "--transport", values(), TransportKind::label, DEFAULT);

    /**
     * The transport named {@code text}; {@code null} or blank gives {@link #fromProperty()}.
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted values
     */
    public static TransportKind parse(String text) {
        return SETTING.parse(text);
    }

    /**
     * {@code -Dllmh.transport}, else {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming the property, the value and the accepted values
     */
    public static TransportKind fromProperty() {
        return SETTING.fromProperty();
    }

    /**
     * Opens a transport of this kind for up to {@code maxConcurrent} requests in flight.
     *
     * @param maxConcurrent expected peak of requests in flight, {@code >= 1}
     */
    public abstract ClientTransport open(int maxConcurrent, ClientTimeouts timeouts);

    /**
     * Opens a transport of this kind for a run whose probes and server descriptions use {@code
     * http}: the threads transport shares its pool (so that the probed connection is reused by the
     * first request) and leaves it open when closed; the event loop opens its own. Each kind says
     * so itself, so that a new transport cannot be left out of the choice.
     *
     * @param http the run's OkHttp client, owned by the caller
     * @param maxConcurrent expected peak of requests in flight, {@code >= 1}
     */
    public abstract ClientTransport openSharing(okhttp3.OkHttpClient http, int maxConcurrent, ClientTimeouts timeouts);

    @Override
    public String toString() {
        return label;
    }
}
