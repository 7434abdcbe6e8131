package dev.llmharness.runtime.capacity;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LoadId;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The trials of a capacity run, made from one declared trial (the template): the same benchmark
 * method, workload, endpoint, objectives and seed, with another load. The load parameter leads the
 * trial's parameters as in generated suites ({@code rate=8}, {@code load=spike}), the template's
 * other parameters follow, so that {@code compare} and {@code merge} match the points of two runs.
 */
public final class Points {
    /** The parameters that name a trial's load; a point replaces them. */
    static final Set<String> LOAD_PARAMS = LoadId.NAMES;

    private Points() {}

    /** The template at one constant open-loop rate, with its arrivals, burstiness and in-flight cap. */
    public static TrialSpec atRate(TrialSpec template, double rate) {
        OpenArrivals a = OpenArrivals.of(template.load());
        OpenLoopModel load = new OpenLoopModel(a.arrival, rate, a.maxInFlight, a.burstiness);
        return with(template, load.id().name(), load.id().value(), load);
    }

    /**
     * The template with {@code workers} closed-loop workers and no think time, named by its role in
     * the sweep rather than by its workers ({@code load=synchronous}, {@code load=throughput}), so
     * that two sweeps' end points match whatever workers they ran.
     */
    public static TrialSpec closed(TrialSpec template, String name, int workers) {
        return with(template, LoadId.LOAD, name, new ClosedLoopModel(workers, Duration.ZERO));
    }

    /** The template with a rate shape (named by the shape): {@code load=<shape>}. */
    public static TrialSpec shaped(TrialSpec template, ShapedLoadModel shape) {
        TrialSpec t = with(template, shape.id().name(), shape.id().value(), shape);
        // A shape is measured to its end; a warmup would take its first part.
        return t.with(t.params(), t.load(), Phase.NONE, t.measurement(), t.slo(), t.seed());
    }

    /** The template with more objectives. */
    public static TrialSpec withSlo(TrialSpec t, SloSpec slo) {
        return t.with(t.params(), t.load(), t.warmup(), t.measurement(), slo, t.seed());
    }

    /** The template's id without its load parameter: what a capacity run is about. */
    public static String subject(TrialSpec t) {
        StringBuilder params = new StringBuilder();
        t.params().forEach((k, v) -> {
            if (!LOAD_PARAMS.contains(k)) {
                params.append(params.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(v);
            }
        });
        return params.length() == 0 ? t.benchmark() : t.benchmark() + "{" + params + "}";
    }

    private static TrialSpec with(TrialSpec template, String param, String value, LoadModel load) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(param, value);
        template.params().forEach((k, v) -> {
            if (!LOAD_PARAMS.contains(k)) {
                params.put(k, v);
            }
        });
        return template.with(params, load, template.warmup(), template.measurement(), template.slo(), template.seed());
    }

    /** How an open loop made from a template spaces its arrivals: the template's, else Poisson. */
    record OpenArrivals(Arrival arrival, double burstiness, int maxInFlight) {
        static final OpenArrivals POISSON = new OpenArrivals(Arrival.POISSON, 1.0, 0);

        static OpenArrivals of(LoadModel load) {
            return load.accept(new LoadModel.Visitor<OpenArrivals>() {
                @Override
                public OpenArrivals open(OpenLoopModel m) {
                    return new OpenArrivals(m.arrival(), m.burstiness(), m.maxInFlight());
                }

                @Override
                public OpenArrivals shaped(ShapedLoadModel m) {
                    return new OpenArrivals(m.arrival(), m.burstiness(), m.maxInFlight());
                }

                @Override
                public OpenArrivals trace(TraceLoadModel m) {
                    return new OpenArrivals(Arrival.POISSON, 1.0, m.maxInFlight());
                }

                @Override
                public OpenArrivals closed(ClosedLoopModel m) {
                    return POISSON;
                }

                @Override
                public OpenArrivals stagedClosed(StagedClosedLoopModel m) {
                    return POISSON;
                }
            });
        }
    }
}
