package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Limits;
import dev.llmharness.runtime.client.TransportKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a self-benchmark runs: for each simulator setup and each load kind, a series of rising
 * steps; each step is one trial of the real engine.
 *
 * @param setups simulator setups, each in its own child JVM, at least one
 * @param loads {@code open} and/or {@code closed}
 * @param rates open-loop steps, requests/s, rising, each {@code > 0}
 * @param concurrencies closed-loop steps, rising, each {@code >= 1}
 * @param warmup warmup of each step (may be zero); for fixed-itl, at least one request duration
 *     so that the window sees a steady state
 * @param step measurement window of each step, {@code > 0}
 * @param inputTokens prompt length, {@code >= 1}
 * @param outputTokens output length (exact), {@code >= 1}
 * @param simJvmOptions JVM options of the simulator's process
 * @param simCpus CPU list to pin the simulator to ({@code taskset} syntax, e.g. {@code "0"}), or
 *     {@code null} to leave it unpinned
 * @param harnessCpus CPU list to pin this JVM to, or {@code null}
 * @param criteria when a step counts as fallen behind
 * @param seed seed of schedules and prompts
 * @param json JSON output file, or {@code null}
 * @param markdown Markdown output file, or {@code null}
 * @param keepGoing run every step even after one fell behind (for before/after comparisons); the
 *     highest clean step is then the last clean step before the first unclean one
 * @param arrival open-loop arrivals: {@code CONSTANT} (evenly spaced, the offered load exact) or
 *     {@code POISSON} (exponential gaps, seeded: the peers' method)
 * @param method how steps are chosen, judged and shown
 * @param transport how the harness's requests reach the simulator ({@code --transport})
 */
public record SelfBenchConfig(
        List<SimSetup> setups,
        List<String> loads,
        List<Double> rates,
        List<Integer> concurrencies,
        Duration warmup,
        Duration step,
        int inputTokens,
        int outputTokens,
        List<String> simJvmOptions,
        String simCpus,
        String harnessCpus,
        StepCriteria criteria,
        long seed,
        Path json,
        Path markdown,
        boolean keepGoing,
        Arrival arrival,
        Method method,
        TransportKind transport) {

    /** How a self-benchmark chooses, judges and shows its steps. */
    public enum Method {
        /**
         * Rising steps until the harness falls behind ({@link StopCriteria}); the full table of
         * figures.
         */
        STEPS,
        /**
         * The way peers are measured (docs/performance.md, "One core, the peers' method"): every
         * point runs, judged against {@link PeerTargets}; the table shows the figures that compare
         * with other clients.
         */
        PEERS,
        /**
         * One spike per simulator setup ({@link SpikePlan}: {@code rates} are its base and peak),
         * measured the peers' way and reported per phase.
         */
        SPIKE
    }

    /** A configuration on the transport of {@code -Dllmh.transport} (else the default). */
    public SelfBenchConfig(
            List<SimSetup> setups,
            List<String> loads,
            List<Double> rates,
            List<Integer> concurrencies,
            Duration warmup,
            Duration step,
            int inputTokens,
            int outputTokens,
            List<String> simJvmOptions,
            String simCpus,
            String harnessCpus,
            StepCriteria criteria,
            long seed,
            Path json,
            Path markdown,
            boolean keepGoing,
            Arrival arrival,
            Method method) {
        this(
                setups,
                loads,
                rates,
                concurrencies,
                warmup,
                step,
                inputTokens,
                outputTokens,
                simJvmOptions,
                simCpus,
                harnessCpus,
                criteria,
                seed,
                json,
                markdown,
                keepGoing,
                arrival,
                method,
                TransportKind.fromProperty());
    }

    public SelfBenchConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(method, "method");
        if (arrival != Arrival.CONSTANT && arrival != Arrival.POISSON) {
            throw new IllegalArgumentException("selfbench arrivals are constant or poisson, got " + arrival);
        }
        setups = List.copyOf(setups);
        loads = List.copyOf(loads);
        rates = List.copyOf(rates);
        concurrencies = List.copyOf(concurrencies);
        simJvmOptions = List.copyOf(simJvmOptions);
        Objects.requireNonNull(criteria, "criteria");
        if (setups.isEmpty()) {
            throw new IllegalArgumentException("name at least one simulator preset (--presets zero,fixed-itl)");
        }
        for (String l : loads) {
            if (!l.equals("open") && !l.equals("closed")) {
                throw new IllegalArgumentException("--loads takes open and/or closed, got \"" + l + "\"");
            }
        }
        if (loads.isEmpty()) {
            throw new IllegalArgumentException("name at least one load kind (--loads open,closed)");
        }
        rising("--concurrency", concurrencies.stream().map(Integer::doubleValue).toList(), loads.contains("closed"));
        for (List<Double> r : rateLists(setups, rates)) {
            rising("--rates", r, loads.contains("open"));
            if (r.stream().anyMatch(v -> !(v > 0) || Double.isInfinite(v))) {
                throw new IllegalArgumentException("--rates must be finite and > 0 requests/s, got " + r);
            }
            for (double v : r) {
                String tooHigh = Limits.aboveMaxRate("every --rates value", v);
                if (tooHigh != null) {
                    throw new IllegalArgumentException(tooHigh);
                }
            }
        }
        if (method == Method.SPIKE) {
            for (List<Double> r : rateLists(setups, rates)) {
                if (r.size() != 2) {
                    throw new IllegalArgumentException(
                            "--method spike takes two --rates, the base and the peak (e.g. 10,800), got " + r);
                }
            }
            if (!loads.equals(List.of("open"))) {
                throw new IllegalArgumentException(
                        "--method spike runs an open loop only (--loads open), got " + loads);
            }
        }
        if (concurrencies.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--concurrency values must be >= 1, got " + concurrencies);
        }
        for (int c : concurrencies) {
            String tooMany = Limits.aboveMaxConcurrency("every --concurrency value", c);
            if (tooMany != null) {
                throw new IllegalArgumentException(tooMany);
            }
        }
        if (warmup.isNegative() || step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("--step must be > 0 and --warmup >= 0, got " + step + ", " + warmup);
        }
        for (String tooLong :
                new String[] {Limits.aboveMaxDuration("--warmup", warmup), Limits.aboveMaxDuration("--step", step)}) {
            if (tooLong != null) {
                throw new IllegalArgumentException(tooLong + "; check the unit (m is minutes, h hours)");
            }
        }
        if (inputTokens < 1 || outputTokens < 1) {
            throw new IllegalArgumentException("--input-tokens and --output-tokens must be >= 1");
        }
        if (inputTokens > Limits.MAX_TOKENS || outputTokens > Limits.MAX_TOKENS) {
            throw new IllegalArgumentException("--input-tokens and --output-tokens must be at most " + Limits.MAX_TOKENS
                    + " (Limits.MAX_TOKENS), got " + inputTokens + " and " + outputTokens);
        }
    }

    /** The open-loop rates run against {@code setup}: its own, or else the configuration's. */
    public List<Double> ratesFor(SimSetup setup) {
        return setup.rates().isEmpty() ? rates : setup.rates();
    }

    private static List<List<Double>> rateLists(List<SimSetup> setups, List<Double> rates) {
        List<List<Double>> all = new java.util.ArrayList<>();
        all.add(rates);
        setups.stream().map(SimSetup::rates).filter(r -> !r.isEmpty()).forEach(all::add);
        return all;
    }

    private static void rising(String option, List<Double> values, boolean used) {
        if (used && values.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) <= values.get(i - 1)) {
                throw new IllegalArgumentException(option + " must rise step by step, got " + values);
            }
        }
    }

    /**
     * The full run: zero and fixed-itl (20 ms / 20 ms), open loop at 100 to 1,600 requests/s and
     * closed loop at 10 to 1,000 streams, 128 output tokens, 3 s warmup and 5 s window per step.
     */
    public static SelfBenchConfig defaults() {
        return new SelfBenchConfig(
                List.of(SimSetup.zero(), SimSetup.fixedItl(Duration.ofMillis(20), Duration.ofMillis(20))),
                List.of("open", "closed"),
                List.of(100.0, 200.0, 400.0, 800.0, 1200.0, 1600.0),
                List.of(10, 100, 400, 1000),
                Duration.ofSeconds(3),
                Duration.ofSeconds(5),
                64,
                128,
                List.of(),
                null,
                null,
                StopCriteria.DEFAULT,
                42,
                Path.of("selfbench.json"),
                null,
                false,
                Arrival.CONSTANT,
                Method.STEPS);
    }

    /**
     * The peers' method (docs/performance.md, "One core, the peers' method"): the harness pinned to
     * CPU 0 and the simulator to CPU 1; Poisson arrivals; chat, 128-token prompts and exactly 128
     * output tokens; the zero-latency simulator at 10 to 1,600 requests/s and the fixed one (TTFT and
     * ITL 20 ms) at 10 to 400 requests/s; 3 s warmup and 20 s per point; every point runs and is
     * judged against {@link PeerTargets#DEFAULT}.
     */
    public static SelfBenchConfig peers() {
        List<Double> zeroRates = List.of(10.0, 50.0, 200.0, 400.0, 800.0, 1200.0, 1600.0);
        return new SelfBenchConfig(
                List.of(
                        SimSetup.zero().withRates(zeroRates),
                        SimSetup.fixedItl(Duration.ofMillis(20), Duration.ofMillis(20))
                                .withRates(List.of(10.0, 50.0, 200.0, 300.0, 400.0))),
                List.of("open"),
                zeroRates,
                List.of(),
                Duration.ofSeconds(3),
                Duration.ofSeconds(20),
                128,
                128,
                List.of(),
                "1",
                "0",
                PeerTargets.DEFAULT,
                42,
                Path.of("selfbench.json"),
                null,
                true,
                Arrival.POISSON,
                Method.PEERS);
    }

    /**
     * The spike method (docs/performance.md, "Spike"): the peers' method's machine, request shape,
     * Poisson arrivals and targets, one trial per simulator preset whose rate goes from 10 to 800
     * requests/s and back (to 200 against the fixed-ITL simulator, which saturates its core
     * beyond that) ({@link SpikePlan}), 10 s per phase after 3 s of warmup.
     */
    public static SelfBenchConfig spike() {
        SelfBenchConfig p = peers();
        List<Double> rates = List.of(10.0, 800.0);
        return new SelfBenchConfig(
                // At a 20 ms ITL the simulator fills its one core between 200 and 300 requests/s
                // (the peers' figures), so a spike to 800 would measure the simulator, not the harness.
                p.setups().stream()
                        .map(s -> s.withRates(s.fixed() ? List.of(10.0, 200.0) : rates))
                        .toList(),
                List.of("open"),
                rates,
                List.of(),
                p.warmup(),
                Duration.ofSeconds(10),
                p.inputTokens(),
                p.outputTokens(),
                List.of(),
                p.simCpus(),
                p.harnessCpus(),
                p.criteria(),
                p.seed(),
                p.json(),
                null,
                true,
                p.arrival(),
                Method.SPIKE);
    }

    /** A copy with other steps and timings: for tests and short runs. */
    public SelfBenchConfig withSteps(
            List<SimSetup> setups,
            List<String> loads,
            List<Double> rates,
            List<Integer> concurrencies,
            Duration warmup,
            Duration step,
            int outputTokens) {
        return new SelfBenchConfig(
                setups,
                loads,
                rates,
                concurrencies,
                warmup,
                step,
                inputTokens,
                outputTokens,
                simJvmOptions,
                simCpus,
                harnessCpus,
                criteria,
                seed,
                json,
                markdown,
                keepGoing,
                arrival,
                method,
                transport);
    }

    /** A copy writing to other files (either may be {@code null}). */
    public SelfBenchConfig withOutputs(Path json, Path markdown) {
        return new SelfBenchConfig(
                setups,
                loads,
                rates,
                concurrencies,
                warmup,
                step,
                inputTokens,
                outputTokens,
                simJvmOptions,
                simCpus,
                harnessCpus,
                criteria,
                seed,
                json,
                markdown,
                keepGoing,
                arrival,
                method,
                transport);
    }
}
