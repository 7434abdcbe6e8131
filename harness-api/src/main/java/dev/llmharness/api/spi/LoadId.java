package dev.llmharness.api.spi;

import java.util.Objects;
import java.util.Set;

/**
 * The trial parameter that names a load in a trial's id: {@code rate=8} (an open loop at one
 * rate), {@code concurrency=16} (closed-loop workers, ramped up or not), {@code load=spike} (a rate
 * or concurrency shape), {@code trace=conv.jsonl} (a trace replay). Trials match across result
 * files by their ids, so two kinds of load never share one: an open-loop {@code @Stages} is {@code
 * load=stages}, a closed-loop {@code @WorkerStages} {@code load=worker-stages}. Each load model
 * makes its own ({@link LoadModel#id()}); the processor and the capacity commands ask it.
 *
 * @param name the parameter's name, one of {@link #NAMES}
 * @param value its value, not blank
 */
public record LoadId(String name, String value) {
    /** An open loop at one rate, requests per second as {@link TrialSpec#formatRate} writes it. */
    public static final String RATE = "rate";

    /** Closed-loop workers. */
    public static final String CONCURRENCY = "concurrency";

    /** A shape of rate or of workers, by the shape's name. */
    public static final String LOAD = "load";

    /** A trace replay, by the trace file's name. */
    public static final String TRACE = "trace";

    /** Every name a load's parameter has. */
    public static final Set<String> NAMES = Set.of(RATE, CONCURRENCY, LOAD, TRACE);

    public LoadId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("a load's parameter is one of " + NAMES + ", got " + name);
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("a load's parameter " + name + " needs a value");
        }
    }

    /** {@code name=value}, as a trial id shows it. */
    @Override
    public String toString() {
        return name + "=" + value;
    }
}
