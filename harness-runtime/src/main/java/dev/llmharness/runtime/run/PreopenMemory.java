package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What a run has learnt for sizing {@code --preopen auto} ({@link Preopen#size}), kept across its
 * trials (and across the points of a sweep or search, each of which is a run of its own): how long
 * the last trial of each benchmark held its connections against each target, and how many requests
 * each target says it serves at once. Used by one thread at a time (the run's).
 */
public final class PreopenMemory {
    private final Map<String, Preopen.Measured> holdTimes = new HashMap<>();
    private final Map<String, OptionalInt> slots = new HashMap<>();

    /** Hold times of the last trial of {@code spec}'s benchmark against {@code target}, or {@code null}. */
    synchronized Preopen.Measured holdTimes(Target target, TrialSpec spec) {
        return holdTimes.get(key(target, spec));
    }

    /** Remembers the hold times of a trial of {@code spec}'s benchmark; {@code null} keeps the earlier ones. */
    synchronized void remember(Target target, TrialSpec spec, Preopen.Measured measured) {
        if (measured != null) {
            holdTimes.put(key(target, spec), measured);
        }
    }

    /** The slots {@code target}'s server states, asking {@code ask} the first time only. */
    synchronized OptionalInt slots(Target target, Supplier<OptionalInt> ask) {
        return slots.computeIfAbsent(target.baseUrl(), b -> ask.get());
    }

    /**
     * Hold times depend on the server and on the requests, which are the benchmark's (its prompts
     * and output lengths): one key per target, model and benchmark method, whatever the load.
     */
    private static String key(Target target, TrialSpec spec) {
        return target.baseUrl() + "\n" + target.model() + "\n" + spec.benchmark();
    }
}
