package dev.llmharness.processor;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Limits;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LoadId;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WorkerStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.lang.model.element.AnnotationValue;

/**
 * One reader per load annotation, found by the annotation's name, as Gatling has one small class
 * per injection step: each reads its own attributes, checks every one of them (a bad value is an
 * error on that value, saying what to write instead) and only then builds its model, so that no
 * model constructor's message reaches the user. Adding a load annotation is one reader here; an
 * annotation of {@link Names#LOAD} without one is a compile error naming the mismatch, not a crash.
 */
final class LoadReaders {
    /** Reads one load annotation into its trials; {@code null} when it is invalid (errors reported). */
    interface LoadReader {
        Level.Load read(AnnotationSite site);
    }

    private final Attributes attributes;
    private final Reporter reporter;
    private final LoadBounds bounds;
    private final Map<String, LoadReader> readers;

    LoadReaders(Attributes attributes, Reporter reporter) {
        this.attributes = attributes;
        this.reporter = reporter;
        this.bounds = new LoadBounds(reporter);
        this.readers = Map.<String, LoadReader>of(
                Names.OPEN_LOOP, this::openLoop,
                Names.CLOSED_LOOP, this::closedLoop,
                Names.RAMP, new RampReader(),
                Names.STAGES, new StagesReader(),
                Names.STEP, new StepReader(),
                Names.SPIKE, new SpikeReader(),
                Names.SOAK, new SoakReader(),
                Names.TRACE_REPLAY, this::traceReplay,
                Names.WORKER_STAGES, this::workerStages);
    }

    /** The annotations a reader exists for: {@link Names#LOAD}, which a test holds them to. */
    Set<String> annotations() {
        return readers.keySet();
    }

    /** The trials of one load annotation, read by its own reader; {@code null} when invalid. */
    Level.Load read(AnnotationSite site) {
        LoadReader reader = readers.get(site.qualifiedName());
        if (reader == null) {
            reporter.error(
                    site,
                    site.simpleName() + " is a load annotation this LLM Harness processor has no reader for: use the"
                            + " harness-processor of the same version as harness-api");
            return null;
        }
        return reader.read(site);
    }

    // ---- open and closed loops: one trial per listed value

    private Level.Load openLoop(AnnotationSite site) {
        int errors = reporter.errorCount();
        Arrival arrival = Arrival.valueOf(attributes.enumName(site, "arrival"));
        int maxInFlight = attributes.integer(site, "maxInFlight");
        bounds.maxInFlight(site, maxInFlight);
        double burstiness = attributes.number(site, "burstiness");
        bounds.burstiness(site, arrival, burstiness);
        List<AnnotationValue> rates = attributes.list(site, "rate");
        if (rates.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit("rate"),
                    "@OpenLoop(rate) is empty; give at least one rate in requests per second, e.g. rate = {2, 4}");
        }
        List<LoadModel> models = new ArrayList<>();
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < rates.size(); i++) {
            double rate = ((Number) rates.get(i).getValue()).doubleValue();
            if (!bounds.rate(site, "rate", site.explicitElement("rate", i), rate, true)) {
                continue;
            }
            if (!seen.add(rate)) {
                reporter.error(
                        site,
                        site.explicitElement("rate", i),
                        "@OpenLoop(rate) lists " + TrialSpec.formatRate(rate)
                                + " twice; each value makes one trial, so remove the duplicate");
                continue;
            }
            if (reporter.errorCount() == errors) {
                models.add(new OpenLoopModel(arrival, rate, maxInFlight, burstiness));
            }
        }
        return reporter.errorCount() == errors ? loads(LoadId.RATE, models) : null;
    }

    private Level.Load closedLoop(AnnotationSite site) {
        int errors = reporter.errorCount();
        Duration thinkTime = attributes.duration(site, "thinkTime");
        Duration rampUp = attributes.duration(site, "rampUp");
        List<AnnotationValue> values = attributes.list(site, "concurrency");
        if (values.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit("concurrency"),
                    "@ClosedLoop(concurrency) is empty; give at least one number of workers, e.g. concurrency = {1, 8}");
        }
        List<LoadModel> models = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            int concurrency = (Integer) values.get(i).getValue();
            AnnotationValue at = site.explicitElement("concurrency", i);
            if (concurrency < 1) {
                reporter.error(
                        site,
                        at,
                        "@ClosedLoop(concurrency) must be >= 1 worker, got " + concurrency + "; e.g. concurrency = 8");
                continue;
            }
            if (!bounds.workers(site, "concurrency", at, concurrency, "")) {
                continue;
            }
            if (!seen.add(concurrency)) {
                reporter.error(
                        site,
                        at,
                        "@ClosedLoop(concurrency) lists " + concurrency
                                + " twice; each value makes one trial, so remove the duplicate");
                continue;
            }
            if (thinkTime != null && rampUp != null) {
                models.add(
                        rampUp.isZero()
                                ? new ClosedLoopModel(concurrency, thinkTime)
                                : StagedClosedLoopModel.rampUp(concurrency, rampUp, thinkTime));
            }
        }
        return reporter.errorCount() == errors ? loads(LoadId.CONCURRENCY, models) : null;
    }

    // ---- rate shapes: one trial each

    /**
     * A rate shape ({@code @Ramp}, {@code @Stages}, {@code @Step}, {@code @Spike}, {@code @Soak}):
     * the attributes they share (arrival, burstiness, in-flight cap), then the shape's own.
     */
    private abstract class RateShapeReader implements LoadReader {
        @Override
        public final Level.Load read(AnnotationSite site) {
            int errors = reporter.errorCount();
            Arrival arrival = Arrival.valueOf(attributes.enumName(site, "arrival"));
            double burstiness = attributes.number(site, "burstiness");
            int maxInFlight = attributes.integer(site, "maxInFlight");
            boolean shared = bounds.maxInFlight(site, maxInFlight) & bounds.burstiness(site, arrival, burstiness);
            ShapeFactory shape = shape(site);
            if (!shared || shape == null || reporter.errorCount() != errors) {
                return null;
            }
            ShapedLoadModel model = construct(site, () -> shape.build(arrival, burstiness, maxInFlight));
            return model == null ? null : load(model);
        }

        /** The shape's own attributes, each checked; {@code null} when any is invalid (reported). */
        abstract ShapeFactory shape(AnnotationSite site);
    }

    /** A checked rate shape, waiting for the attributes every shape shares. */
    private interface ShapeFactory {
        ShapedLoadModel build(Arrival arrival, double burstiness, int maxInFlight);
    }

    private final class RampReader extends RateShapeReader {
        @Override
        ShapeFactory shape(AnnotationSite site) {
            Duration duration = attributes.positiveDuration(
                    site, "duration", "the ramp takes that long from one rate to the other", "2m");
            double from = attributes.number(site, "from");
            double to = attributes.number(site, "to");
            boolean valid = bounds.rate(site, "from", from, false) & bounds.rate(site, "to", to, false);
            if (!valid || !bounds.ramp(site, from, to, attributes.text(site, "duration")) || duration == null) {
                return null;
            }
            return (arrival, burstiness, cap) -> ShapedLoadModel.ramp(arrival, burstiness, from, to, duration, cap);
        }
    }

    private final class StagesReader extends RateShapeReader {
        @Override
        ShapeFactory shape(AnnotationSite site) {
            int errors = reporter.errorCount();
            double start = attributes.number(site, "startRate");
            bounds.rate(site, "startRate", start, false);
            List<AnnotationSite> written = attributes.nested(site, "value", "@Stage");
            if (written.isEmpty()) {
                reporter.error(
                        site,
                        site.explicit("value"),
                        "@Stages is empty; give at least one stage, e.g. @Stages(@Stage(duration = \"1m\", rate = 10))");
            }
            List<RateStage> stages = new ArrayList<>();
            for (AnnotationSite stage : written) {
                Duration d = attributes.duration(stage, "duration");
                double rate = attributes.number(stage, "rate");
                if (bounds.rate(stage, "rate", rate, false) && d != null) {
                    stages.add(new RateStage(d, rate));
                }
            }
            if (reporter.errorCount() != errors || !bounds.stages(site, start, stages)) {
                return null;
            }
            return (arrival, burstiness, cap) -> ShapedLoadModel.stages(arrival, burstiness, start, stages, cap);
        }
    }

    private final class StepReader extends RateShapeReader {
        @Override
        ShapeFactory shape(AnnotationSite site) {
            Duration level =
                    attributes.positiveDuration(site, "levelDuration", "each level holds its rate that long", "1m");
            Duration ramp = attributes.duration(site, "rampDuration");
            double start = attributes.number(site, "start");
            double increment = attributes.number(site, "increment");
            int levels = attributes.integer(site, "levels");
            if (!bounds.step(site, start, increment, levels, level, ramp) || level == null || ramp == null) {
                return null;
            }
            return (arrival, burstiness, cap) ->
                    ShapedLoadModel.steps(arrival, burstiness, start, increment, levels, level, ramp, cap);
        }
    }

    private final class SpikeReader extends RateShapeReader {
        @Override
        ShapeFactory shape(AnnotationSite site) {
            Duration before = attributes.duration(site, "before");
            Duration rise = attributes.duration(site, "rise");
            Duration hold = attributes.positiveDuration(site, "hold", "the peak holds its rate that long", "30s");
            Duration fall = attributes.duration(site, "fall");
            Duration after = attributes.duration(site, "after");
            double base = attributes.number(site, "base");
            double peak = attributes.number(site, "peak");
            boolean valid = bounds.spike(site, base, peak);
            if (!valid || before == null || rise == null || hold == null || fall == null || after == null) {
                return null;
            }
            return (arrival, burstiness, cap) ->
                    ShapedLoadModel.spike(arrival, burstiness, base, peak, before, rise, hold, fall, after, cap);
        }
    }

    private final class SoakReader extends RateShapeReader {
        @Override
        ShapeFactory shape(AnnotationSite site) {
            Duration duration =
                    attributes.positiveDuration(site, "duration", "the rate holds that long, warmup included", "30m");
            double rate = attributes.number(site, "rate");
            if (!bounds.rate(site, "rate", rate, true) || duration == null) {
                return null;
            }
            return (arrival, burstiness, cap) -> ShapedLoadModel.soak(arrival, burstiness, rate, duration, cap);
        }
    }

    // ---- a trace, stages of workers: one trial each

    private Level.Load traceReplay(AnnotationSite site) {
        String path = attributes.text(site, "path");
        double speedup = attributes.number(site, "speedup");
        int maxInFlight = attributes.integer(site, "maxInFlight");
        boolean lengths = (Boolean) attributes.value(site, "lengths");
        boolean valid = bounds.tracePath(site, path) & bounds.maxInFlight(site, maxInFlight);
        String outside = Limits.outsideSpeedup("@TraceReplay(speedup)", speedup);
        if (outside != null) {
            reporter.error(
                    site,
                    site.explicit("speedup"),
                    outside + "; e.g. speedup = 4 replays four times as fast, speedup = 0.5 at half speed");
            valid = false;
        }
        if (!valid) {
            return null;
        }
        TraceLoadModel model = construct(site, () -> new TraceLoadModel(path, speedup, maxInFlight, lengths));
        return model == null ? null : load(model);
    }

    private Level.Load workerStages(AnnotationSite site) {
        int errors = reporter.errorCount();
        Duration think = attributes.duration(site, "thinkTime");
        int start = attributes.integer(site, "start");
        bounds.workerCount(site, "start", start, "start = 0 to begin with no worker");
        List<AnnotationSite> written = attributes.nested(site, "value", "@Workers");
        if (written.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@WorkerStages is empty; give at least one stage, e.g. @WorkerStages(@Workers(duration = \"1m\","
                            + " target = 8))");
        }
        List<WorkerStage> stages = new ArrayList<>();
        for (AnnotationSite stage : written) {
            Duration d = attributes.duration(stage, "duration");
            int target = attributes.integer(stage, "target");
            if (bounds.workerCount(stage, "target", target, "target = 8, or 0 to stop every worker") && d != null) {
                stages.add(new WorkerStage(d, target));
            }
        }
        if (reporter.errorCount() != errors || think == null || !bounds.workerStages(site, start, stages)) {
            return null;
        }
        StagedClosedLoopModel model = construct(site, () -> StagedClosedLoopModel.stages(start, stages, think));
        return model == null ? null : load(model);
    }

    // ---- the trials

    /** The one trial of a load annotation with one model, named as the model names itself. */
    private static Level.Load load(LoadModel model) {
        return new Level.Load(model.id().name(), List.of(model.id().value()), List.of(model));
    }

    /**
     * The trials of a load annotation listing several values ({@code rate}, {@code concurrency}),
     * named as each model names itself; every model of one annotation is of the kind {@code name}.
     */
    private static Level.Load loads(String name, List<LoadModel> models) {
        List<String> values = new ArrayList<>();
        for (LoadModel m : models) {
            if (!m.id().name().equals(name)) {
                throw new IllegalStateException("a load of " + name + " named itself " + m.id());
            }
            values.add(m.id().value());
        }
        return new Level.Load(name, values, models);
    }

    /**
     * Builds a model from values its reader has checked. The model's constructor checks its
     * invariants again; should one of them find what the reader's checks missed (a reader lacking
     * a check), it is still a compile error, on the annotation, rather than a crash of javac.
     */
    private <T> T construct(AnnotationSite site, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            reporter.error(site, site.simpleName() + " on " + site.element().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }
}
