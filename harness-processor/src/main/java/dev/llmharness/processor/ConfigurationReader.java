package dev.llmharness.processor;

import dev.llmharness.api.Api;
import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Distribution;
import dev.llmharness.api.Limits;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.util.Elements;

/**
 * Reads and validates the configuration annotations of one element (a benchmark class or method)
 * into a {@link Level}; its load annotation is read by that annotation's own reader ({@link
 * LoadReaders}). Each check reports what is wrong and how to fix it on the annotation value at
 * fault; an invalid annotation yields a {@link Decl} without value.
 */
final class ConfigurationReader {
    private final Attributes attributes;
    private final Reporter reporter;
    private final LoadReaders loadReaders;

    ConfigurationReader(Elements elements, Reporter reporter) {
        this.attributes = new Attributes(elements, reporter);
        this.reporter = reporter;
        this.loadReaders = new LoadReaders(attributes, reporter);
    }

    Level read(Element element) {
        Decl<Level.Load> load = null;
        List<AnnotationSite> loads = new ArrayList<>();
        for (String type : Names.LOAD) {
            AnnotationSite site = AnnotationSite.find(element, type);
            if (site != null) {
                loads.add(site);
            }
        }
        if (loads.size() > 1) {
            reporter.error(
                    loads.get(1),
                    loads.get(0).simpleName() + " and " + loads.get(1).simpleName() + " are both on "
                            + element.getSimpleName() + "; a benchmark has exactly one load model: remove one of them");
            load = new Decl<>(loads.get(0), null);
        } else if (loads.size() == 1) {
            AnnotationSite site = loads.get(0);
            load = new Decl<>(site, loadReaders.read(site));
        }

        AnnotationSite shapeSite = AnnotationSite.find(element, Names.TOKEN_SHAPE);
        AnnotationSite datasetSite = AnnotationSite.find(element, Names.DATASET);
        Decl<Level.Shape> shape = shapeSite == null ? null : new Decl<>(shapeSite, tokenShape(shapeSite));
        Decl<DatasetWorkload> dataset = datasetSite == null ? null : new Decl<>(datasetSite, dataset(datasetSite));
        if (shape != null && dataset != null && shape.valid() && !shape.value().empirical()) {
            reporter.error(
                    datasetSite,
                    "@TokenShape and @Dataset are both on " + element.getSimpleName()
                            + " but no length distribution is EMPIRICAL; use one workload, or set"
                            + " inputDistribution/outputDistribution = Distribution.EMPIRICAL to draw"
                            + " lengths from the dataset");
            dataset = new Decl<>(datasetSite, null);
        }

        AnnotationSite warmupSite = AnnotationSite.find(element, Names.WARMUP);
        AnnotationSite measurementSite = AnnotationSite.find(element, Names.MEASUREMENT);
        AnnotationSite endpointSite = AnnotationSite.find(element, Names.ENDPOINT);
        AnnotationSite sloSite = AnnotationSite.find(element, Names.SLO);
        AnnotationSite seedSite = AnnotationSite.find(element, Names.SEED);
        AnnotationSite analysisSite = AnnotationSite.find(element, Names.ANALYSIS_LIMITS);
        return new Level(
                load,
                warmupSite == null ? null : new Decl<>(warmupSite, warmup(warmupSite)),
                measurementSite == null ? null : new Decl<>(measurementSite, measurement(measurementSite)),
                shape,
                dataset,
                endpointSite == null ? null : new Decl<>(endpointSite, endpoint(endpointSite)),
                sloSite == null ? null : new Decl<>(sloSite, slo(sloSite)),
                seedSite == null ? null : new Decl<>(seedSite, (Long) value(seedSite, "value")),
                analysisSite == null ? null : new Decl<>(analysisSite, analysisLimits(analysisSite)));
    }

    // ---- phases

    private Phase warmup(AnnotationSite site) {
        int errors = reporter.errorCount();
        Duration duration = duration(site, "duration");
        long requests = (Long) value(site, "requests");
        checkPhaseBound(site, requests);
        if (reporter.errorCount() != errors) {
            return null;
        }
        return requests > 0 ? Phase.ofRequests(requests) : Phase.ofDuration(duration);
    }

    private Level.Window measurement(AnnotationSite site) {
        int errors = reporter.errorCount();
        Duration duration = duration(site, "duration");
        long requests = (Long) value(site, "requests");
        checkPhaseBound(site, requests);
        if (duration != null && duration.isZero() && requests == 0) {
            reporter.error(
                    site,
                    site.explicit("duration"),
                    "@Measurement(duration) must be > 0; nothing would be measured in \"" + value(site, "duration")
                            + "\": give a length such as \"30s\", or a request count with requests = ...");
        }
        Duration drain = duration(site, "drainTimeout");
        if (drain != null && drain.isZero()) {
            reporter.error(
                    site,
                    site.explicit("drainTimeout"),
                    "@Measurement(drainTimeout) must be > 0, got \"" + value(site, "drainTimeout")
                            + "\"; give the wait for requests still in flight, e.g. \"30s\"");
        }
        if (reporter.errorCount() != errors) {
            return null;
        }
        return new Level.Window(requests > 0 ? Phase.ofRequests(requests) : Phase.ofDuration(duration), drain);
    }

    private void checkPhaseBound(AnnotationSite site, long requests) {
        if (requests < 0) {
            reporter.error(
                    site,
                    site.explicit("requests"),
                    site.attr("requests") + " must be >= 0, got " + requests
                            + "; use 0 to bound the phase by its duration");
        } else if (Limits.aboveMaxRequests(site.attr("requests"), requests) != null) {
            reporter.error(
                    site,
                    site.explicit("requests"),
                    Limits.aboveMaxRequests(site.attr("requests"), requests)
                            + ": check the digits, or bound the phase by its duration");
        } else if (requests > 0 && site.isExplicit("duration")) {
            reporter.error(
                    site,
                    site.explicit("requests"),
                    site.simpleName() + " sets both duration and requests; a phase is bounded by one of them:"
                            + " remove duration to count requests, or remove requests to run for a time");
        }
    }

    // ---- workload

    private Level.Shape tokenShape(AnnotationSite site) {
        int errors = reporter.errorCount();
        ShapePreset preset = ShapePreset.valueOf(enumName(site, "preset"));
        String encoding = encoding(site);
        int sharedPrefix = (Integer) value(site, "sharedPrefix");
        boolean exactOutput = (Boolean) value(site, "exactOutput");
        List<LengthSpec> inputs;
        List<LengthSpec> outputs;
        if (preset != ShapePreset.NONE) {
            for (String side : List.of("input", "output")) {
                for (String attribute :
                        List.of(side, side + "Distribution", side + "Min", side + "Max", side + "Stddev")) {
                    if (site.isExplicit(attribute)) {
                        reporter.error(
                                site,
                                site.explicit(attribute),
                                "@TokenShape(preset = " + preset + ") fixes the token counts, so " + attribute
                                        + " cannot be set: remove " + attribute + ", or remove preset and give"
                                        + " input and output");
                    }
                }
            }
            inputs = List.of(LengthSpec.fixed(preset.inputTokens()));
            outputs = List.of(LengthSpec.fixed(preset.outputTokens()));
        } else {
            inputs = lengths(site, "input");
            outputs = lengths(site, "output");
        }
        if (sharedPrefix < 0) {
            reporter.error(
                    site,
                    site.explicit("sharedPrefix"),
                    "@TokenShape(sharedPrefix) must be >= 0 tokens, got " + sharedPrefix
                            + "; use 0 for no shared prefix");
        } else if (sharedPrefix > 0 && inputs != null && !inputs.isEmpty()) {
            int shortest = inputs.stream().mapToInt(LengthSpec::min).min().orElseThrow();
            if (sharedPrefix >= shortest) {
                reporter.error(
                        site,
                        site.explicit("sharedPrefix"),
                        "@TokenShape(sharedPrefix) (" + sharedPrefix
                                + " tokens) must be below the smallest prompt length (" + shortest
                                + " tokens), since the prefix is part of the prompt: lower sharedPrefix or"
                                + " raise the prompt lengths");
            }
        }
        if (reporter.errorCount() != errors || inputs == null || outputs == null) {
            return null;
        }
        int inputCount = list(site, "input").size();
        int outputCount = list(site, "output").size();
        return new Level.Shape(
                preset, inputs, inputCount > 1, outputs, outputCount > 1, sharedPrefix, exactOutput, encoding);
    }

    /** The length specs of one side ({@code input} or {@code output}), one per listed value. */
    private List<LengthSpec> lengths(AnnotationSite site, String side) {
        int errors = reporter.errorCount();
        Distribution distribution = Distribution.valueOf(enumName(site, side + "Distribution"));
        List<AnnotationValue> values = list(site, side);
        int min = (Integer) value(site, side + "Min");
        int max = (Integer) value(site, side + "Max");
        double stddev = (Double) value(site, side + "Stddev");
        boolean usesValues = distribution == Distribution.FIXED || distribution == Distribution.NORMAL;
        boolean usesBounds = distribution != Distribution.FIXED;
        String where = "@TokenShape(" + side + "Distribution = " + distribution + ")";
        if (usesValues && values.isEmpty()) {
            reporter.error(
                    site,
                    "@TokenShape(" + side + ") is required without a preset: give " + side
                            + " = {...} in tokens, or a preset such as preset = ShapePreset.CHAT");
        }
        if (!usesValues && !values.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit(side),
                    where + " ignores " + side + "; remove " + side + " and bound the lengths with " + side + "Min and "
                            + side + "Max");
        }
        if (!usesBounds) {
            for (String attribute : List.of(side + "Min", side + "Max")) {
                if (site.isExplicit(attribute)) {
                    reporter.error(
                            site,
                            site.explicit(attribute),
                            where + " ignores " + attribute + "; remove it, or choose UNIFORM or NORMAL");
                }
            }
        }
        if (distribution != Distribution.NORMAL && site.isExplicit(side + "Stddev")) {
            reporter.error(
                    site,
                    site.explicit(side + "Stddev"),
                    "@TokenShape(" + side + "Stddev) applies only to NORMAL; remove it, or set " + side
                            + "Distribution = Distribution.NORMAL");
        }
        if (distribution == Distribution.UNIFORM && !(site.isExplicit(side + "Min") && site.isExplicit(side + "Max"))) {
            reporter.error(
                    site,
                    where + " needs explicit " + side + "Min and " + side + "Max (inclusive, in tokens), e.g. " + side
                            + "Min = 100, " + side + "Max = 300");
        }
        if (usesBounds) {
            String limit = " is beyond the runtime's limit of " + Limits.MAX_TOKENS + " tokens (Limits.MAX_TOKENS)";
            if (min > Limits.MAX_TOKENS) {
                reporter.error(
                        site,
                        site.explicit(side + "Min"),
                        "@TokenShape(" + side + "Min) " + min + limit + ": lower " + side + "Min");
            } else if (distribution == Distribution.UNIFORM && max > Limits.MAX_TOKENS) {
                reporter.error(
                        site,
                        site.explicit(side + "Max"),
                        "@TokenShape(" + side + "Max) " + max + limit + ": lower " + side + "Max to at most "
                                + Limits.MAX_TOKENS);
            }
            if (min < 1) {
                reporter.error(
                        site,
                        site.explicit(side + "Min"),
                        "@TokenShape(" + side + "Min) must be >= 1 token, got " + min);
            } else if (max < min) {
                reporter.error(
                        site,
                        site.explicit(side + "Max"),
                        "@TokenShape(" + side + "Max) (" + max + ") must be >= " + side + "Min (" + min + ")");
            }
        }
        if (distribution == Distribution.NORMAL && !(stddev >= 0 && Double.isFinite(stddev))) {
            reporter.error(
                    site,
                    site.explicit(side + "Stddev"),
                    "@TokenShape(" + side + "Stddev) must be finite and >= 0 tokens, got " + stddev);
        }
        if (reporter.errorCount() == errors) {
            degenerateLengths(site, side, distribution, min, max, stddev);
        }
        List<LengthSpec> specs = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        if (usesValues) {
            for (int i = 0; i < values.size(); i++) {
                int tokens = (Integer) values.get(i).getValue();
                AnnotationValue at = site.explicitElement(side, i);
                if (tokens < 1) {
                    reporter.error(site, at, "@TokenShape(" + side + ") must be >= 1 token, got " + tokens);
                } else if (tokens > Limits.MAX_TOKENS) {
                    reporter.error(
                            site,
                            at,
                            "@TokenShape(" + side + ") " + tokens + " tokens is beyond the runtime's limit of "
                                    + Limits.MAX_TOKENS + " tokens (Limits.MAX_TOKENS): give at most "
                                    + Limits.MAX_TOKENS + " (check the digits: 100_000 is a long prompt already)");
                } else if (distribution == Distribution.NORMAL
                        && max > Limits.MAX_TOKENS
                        && tokens + 6 * stddev > Limits.MAX_TOKENS) {
                    reporter.error(
                            site,
                            site.explicit(side + "Stddev"),
                            "@TokenShape(" + side + "Stddev) " + stddev + " lets NORMAL lengths around " + tokens
                                    + " reach beyond the runtime's limit of " + Limits.MAX_TOKENS + " tokens"
                                    + " (Limits.MAX_TOKENS): set " + side + "Max to at most " + Limits.MAX_TOKENS
                                    + ", or lower " + side + "Stddev");
                } else if (!seen.add(tokens)) {
                    reporter.error(
                            site,
                            at,
                            "@TokenShape(" + side + ") lists " + tokens
                                    + " twice; each value makes one trial, so remove the duplicate");
                } else if (distribution == Distribution.NORMAL && (tokens < min || tokens > max)) {
                    reporter.error(
                            site,
                            at,
                            "@TokenShape(" + side + ") mean " + tokens + " lies outside [" + side + "Min, " + side
                                    + "Max] = [" + min + ", " + max + "]; widen the bounds or change the mean");
                } else if (reporter.errorCount() == errors) {
                    specs.add(
                            distribution == Distribution.FIXED
                                    ? LengthSpec.fixed(tokens)
                                    : LengthSpec.normal(tokens, stddev, min, max));
                }
            }
        } else if (reporter.errorCount() == errors) {
            specs.add(
                    distribution == Distribution.UNIFORM
                            ? LengthSpec.uniform(min, max)
                            : LengthSpec.empirical(min, max));
        }
        return reporter.errorCount() == errors ? specs : null;
    }

    /**
     * A distribution that does not vary (NORMAL without a deviation, UNIFORM over one value) gives
     * every request the same length: a warning, since the trial still runs, as a FIXED one would.
     */
    private void degenerateLengths(
            AnnotationSite site, String side, Distribution distribution, int min, int max, double stddev) {
        if (distribution == Distribution.NORMAL && stddev == 0) {
            reporter.warning(
                    site,
                    site.explicit(side + "Distribution"),
                    "@TokenShape(" + side + "Distribution = NORMAL) with " + side + "Stddev 0 gives every request"
                            + " the mean: set " + side + "Stddev in tokens, e.g. " + side + "Stddev = 20, or use"
                            + " FIXED");
        } else if (distribution == Distribution.UNIFORM && min == max) {
            reporter.warning(
                    site,
                    site.explicit(side + "Max"),
                    "@TokenShape(" + side + "Min) and " + side + "Max are both " + min + ", so every request has " + min
                            + " tokens: write " + side + " = " + min + " (FIXED), or widen the range");
        }
    }

    private DatasetWorkload dataset(AnnotationSite site) {
        int errors = reporter.errorCount();
        DatasetFormat format = DatasetFormat.valueOf(enumName(site, "format"));
        String path = (String) value(site, "path");
        String promptField = (String) value(site, "promptField");
        String referenceField = (String) value(site, "referenceField");
        int minInput = (Integer) value(site, "minInputTokens");
        int maxInput = (Integer) value(site, "maxInputTokens");
        int maxOutput = (Integer) value(site, "maxOutputTokens");
        int outputTokens = (Integer) value(site, "outputTokens");
        boolean fromReference = (Boolean) value(site, "outputFromReference");
        Sampling sampling = Sampling.valueOf(enumName(site, "sampling"));
        int limit = (Integer) value(site, "limit");
        String encoding = encoding(site);
        boolean freeFields = format == DatasetFormat.JSONL || format == DatasetFormat.CSV;
        if (path.isBlank()) {
            reporter.error(
                    site,
                    site.explicit("path"),
                    "@Dataset(path) is empty; give a file path (relative to the working directory) or"
                            + " classpath:resource");
        }
        if (freeFields && promptField.isBlank()) {
            reporter.error(
                    site,
                    site.explicit("format"),
                    "@Dataset(format = " + format + ") needs promptField: name the "
                            + (format == DatasetFormat.CSV ? "column" : "field") + " holding the prompt");
        }
        if (!freeFields && !promptField.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit("promptField"),
                    "@Dataset(promptField) applies only to JSONL and CSV; " + format
                            + " has a fixed prompt field, so remove promptField");
        }
        if (!freeFields && !referenceField.isEmpty()) {
            reporter.error(
                    site,
                    site.explicit("referenceField"),
                    "@Dataset(referenceField) applies only to JSONL and CSV; " + format
                            + " has a fixed reference field, so remove referenceField");
        }
        if (fromReference && freeFields && referenceField.isBlank()) {
            reporter.error(
                    site,
                    site.explicit("outputFromReference"),
                    "@Dataset(outputFromReference = true) needs referenceField for " + format
                            + ": name the field holding the reference answer");
        }
        if (fromReference && site.isExplicit("outputTokens")) {
            reporter.error(
                    site,
                    site.explicit("outputTokens"),
                    "@Dataset(outputTokens) is ignored with outputFromReference = true; remove one of them");
        }
        if (minInput < 1) {
            reporter.error(
                    site, site.explicit("minInputTokens"), "@Dataset(minInputTokens) must be >= 1, got " + minInput);
        } else if (maxInput < minInput) {
            reporter.error(
                    site,
                    site.explicit("maxInputTokens"),
                    "@Dataset(maxInputTokens) (" + maxInput + ") must be >= minInputTokens (" + minInput + ")");
        }
        if (maxOutput < 1) {
            reporter.error(
                    site, site.explicit("maxOutputTokens"), "@Dataset(maxOutputTokens) must be >= 1, got " + maxOutput);
        }
        if (outputTokens < 1) {
            reporter.error(
                    site, site.explicit("outputTokens"), "@Dataset(outputTokens) must be >= 1, got " + outputTokens);
        } else if (outputTokens > Limits.MAX_TOKENS) {
            reporter.error(
                    site,
                    site.explicit("outputTokens"),
                    "@Dataset(outputTokens) " + outputTokens + " is beyond the runtime's limit of " + Limits.MAX_TOKENS
                            + " tokens (Limits.MAX_TOKENS): give at most " + Limits.MAX_TOKENS);
        }
        if (!fromReference && site.isExplicit("outputTokens") && outputTokens > maxOutput && maxOutput >= 1) {
            // The runtime caps the request at maxOutputTokens: the written count would silently not apply.
            reporter.error(
                    site,
                    site.explicit("outputTokens"),
                    "@Dataset(outputTokens) " + outputTokens + " is above maxOutputTokens " + maxOutput
                            + ", which caps it, so requests would ask for " + maxOutput + ": give outputTokens at most "
                            + maxOutput + ", or raise maxOutputTokens");
        }
        if (minInput > Limits.MAX_TOKENS) {
            reporter.error(
                    site,
                    site.explicit("minInputTokens"),
                    "@Dataset(minInputTokens) " + minInput + " is beyond the runtime's limit of " + Limits.MAX_TOKENS
                            + " tokens (Limits.MAX_TOKENS), so no record could be read: lower it");
        }
        if (limit < 0) {
            reporter.error(
                    site,
                    site.explicit("limit"),
                    "@Dataset(limit) must be >= 0, got " + limit + "; use 0 to read every record");
        }
        if (reporter.errorCount() != errors || encoding == null) {
            return null;
        }
        return construct(
                site,
                () -> new DatasetWorkload(
                        format,
                        path,
                        promptField,
                        referenceField,
                        minInput,
                        maxInput,
                        maxOutput,
                        outputTokens,
                        fromReference,
                        sampling,
                        limit,
                        encoding));
    }

    private String encoding(AnnotationSite site) {
        String encoding = (String) value(site, "encoding");
        if (!Names.ENCODINGS.contains(encoding)) {
            reporter.error(
                    site,
                    site.explicit("encoding"),
                    site.attr("encoding") + " \"" + encoding + "\" is not an encoding bundled with jtokkit;"
                            + " use one of " + String.join(", ", Names.ENCODINGS));
            return null;
        }
        return encoding;
    }

    // ---- endpoint, SLO

    private EndpointSpec endpoint(AnnotationSite site) {
        Api api = Api.valueOf(enumName(site, "api"));
        String url = (String) value(site, "url");
        String model = (String) value(site, "model");
        String apiKeyEnv = (String) value(site, "apiKeyEnv");
        if (apiKeyEnv.isBlank()) {
            reporter.error(
                    site,
                    site.explicit("apiKeyEnv"),
                    "@Endpoint(apiKeyEnv) is empty; name the environment variable holding the API key, or"
                            + " remove the attribute to use LLMH_API_KEY (an unset variable means no key)");
            return null;
        }
        // The runtime's own rule (scheme, host, port, blanks), then what only a declared base URL must not hold.
        String unusable = dev.llmharness.api.spi.BaseUrl.reason(url);
        if (unusable != null) {
            reporter.error(
                    site,
                    site.explicit("url"),
                    "@Endpoint(url) \"" + url + "\": " + unusable + "; write the server's base URL, e.g. "
                            + dev.llmharness.api.spi.BaseUrl.EXAMPLE + ", or leave it empty to set -Dllmh.url at run"
                            + " time");
            return null;
        }
        String badUrl = url.isEmpty() ? null : EndpointText.urlProblem(url);
        if (badUrl != null) {
            reporter.error(site, site.explicit("url"), "@Endpoint(url) " + badUrl);
            return null;
        }
        String badModel = EndpointText.modelProblem(model);
        if (badModel != null) {
            reporter.error(site, site.explicit("model"), "@Endpoint(model) " + badModel);
            return null;
        }
        String badVariable = EndpointText.variableProblem(apiKeyEnv);
        if (badVariable != null) {
            reporter.error(site, site.explicit("apiKeyEnv"), "@Endpoint(apiKeyEnv) " + badVariable);
            return null;
        }
        boolean stream = (Boolean) value(site, "stream");
        return construct(site, () -> new EndpointSpec(api, url, model, apiKeyEnv, stream));
    }

    private SloSpec slo(AnnotationSite site) {
        int errors = reporter.errorCount();
        List<LatencyBound> bounds = new ArrayList<>();
        for (SloMetric metric : SloMetric.values()) {
            String attribute = metric.name().toLowerCase(Locale.ROOT);
            List<AnnotationValue> values = list(site, attribute);
            Set<Double> percentiles = new HashSet<>();
            for (int i = 0; i < values.size(); i++) {
                String text = (String) values.get(i).getValue();
                try {
                    LatencyBound bound = LatencyBound.parse(metric, text);
                    if (!percentiles.add(bound.percentile())) {
                        reporter.error(
                                site,
                                site.explicitElement(attribute, i),
                                "@Slo(" + attribute + ") bounds p" + formatPercentile(bound.percentile())
                                        + " twice; keep one bound per percentile");
                    } else {
                        bounds.add(bound);
                    }
                } catch (IllegalArgumentException e) {
                    reporter.error(
                            site, site.explicitElement(attribute, i), "@Slo(" + attribute + "): " + e.getMessage());
                }
            }
        }
        double maxErrorRate = (Double) value(site, "maxErrorRate");
        if (Double.isNaN(maxErrorRate) || maxErrorRate > 1) {
            reporter.error(
                    site,
                    site.explicit("maxErrorRate"),
                    "@Slo(maxErrorRate) must be in [0, 1] (a fraction, 0.01 is 1%), or negative for no bound; got "
                            + maxErrorRate);
        }
        java.util.Optional<dev.llmharness.api.spi.WindowObjective> windows = java.util.Optional.empty();
        double attainment = (Double) value(site, "windows");
        String windowText = (String) value(site, "window");
        if (Double.isNaN(attainment) || attainment == 0 || attainment > 1) {
            reporter.error(
                    site,
                    site.explicit("windows"),
                    "@Slo(windows) is the share of windows that must meet the SLO, in (0, 1] (0.9 is 90%), or"
                            + " negative for no such objective; got " + attainment);
        } else if (attainment > 0 && bounds.isEmpty() && maxErrorRate < 0) {
            reporter.error(
                    site,
                    site.explicit("windows"),
                    "@Slo(windows) judges each window by the other objectives, and this @Slo has none: add a"
                            + " latency bound such as ttft = \"p99 <= 2s\" or maxErrorRate = 0.01");
        }
        int windowSeconds = dev.llmharness.api.spi.WindowObjective.DEFAULT_SECONDS;
        try {
            java.time.Duration d = dev.llmharness.api.DurationText.parse(windowText);
            if (d.getSeconds() < 1 || d.getNano() != 0) {
                long rounded = Math.max(1, Math.round(d.toNanos() / 1e9));
                reporter.error(
                        site,
                        site.explicit("window"),
                        "@Slo(window) must be whole seconds, at least 1s (the timeline is kept per second); got \""
                                + windowText + "\": write \"" + rounded + "s\"");
            } else {
                windowSeconds = (int) Math.min(Integer.MAX_VALUE, d.getSeconds());
            }
        } catch (IllegalArgumentException e) {
            reporter.error(site, site.explicit("window"), "@Slo(window): " + e.getMessage());
        }
        double minThroughput = (Double) value(site, "minThroughput");
        if (Double.isNaN(minThroughput) || minThroughput == 0 || minThroughput > 1) {
            reporter.error(
                    site,
                    site.explicit("minThroughput"),
                    "@Slo(minThroughput) is the share of the offered requests each window must complete, in (0, 1]"
                            + " (0.9 is 90%), or negative for no such objective; got " + minThroughput);
        }
        if (reporter.errorCount() != errors) {
            return null;
        }
        if (attainment > 0) {
            windows = java.util.Optional.of(new dev.llmharness.api.spi.WindowObjective(attainment, windowSeconds));
        }
        java.util.Optional<dev.llmharness.api.spi.ThroughputObjective> throughput = minThroughput > 0
                ? java.util.Optional.of(new dev.llmharness.api.spi.ThroughputObjective(minThroughput, windowSeconds))
                : java.util.Optional.empty();
        OptionalDouble rate = maxErrorRate < 0 ? OptionalDouble.empty() : OptionalDouble.of(maxErrorRate);
        java.util.Optional<dev.llmharness.api.spi.WindowObjective> perWindow = windows;
        return construct(site, () -> new SloSpec(bounds, rate, perWindow, throughput));
    }

    /** {@code @AnalysisLimits}: each non-empty attribute, checked as {@code "<warn>,<fail>"}. */
    private java.util.Map<String, String> analysisLimits(AnnotationSite site) {
        int errors = reporter.errorCount();
        java.util.Map<String, String> limits = new java.util.LinkedHashMap<>();
        for (String name : dev.llmharness.api.spi.AnalysisLimit.NAMES) {
            String text = ((String) value(site, name)).strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                dev.llmharness.api.spi.AnalysisLimit.parse(name, text);
                limits.put(name, text);
            } catch (IllegalArgumentException e) {
                reporter.error(site, site.explicit(name), "@AnalysisLimits(" + name + ") " + e.getMessage());
            }
        }
        return reporter.errorCount() == errors ? limits : null;
    }

    private static String formatPercentile(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    // ---- values

    private Duration duration(AnnotationSite site, String attribute) {
        return attributes.duration(site, attribute);
    }

    /**
     * Builds an SPI record whose constructor checks its invariants; a violation the checks above
     * missed still becomes a compile error naming the annotation.
     */
    private <T> T construct(AnnotationSite site, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            reporter.error(site, site.simpleName() + " on " + site.element().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    Object value(AnnotationSite site, String attribute) {
        return attributes.value(site, attribute);
    }

    private List<AnnotationValue> list(AnnotationSite site, String attribute) {
        return attributes.list(site, attribute);
    }

    private String enumName(AnnotationSite site, String attribute) {
        return attributes.enumName(site, attribute);
    }
}
