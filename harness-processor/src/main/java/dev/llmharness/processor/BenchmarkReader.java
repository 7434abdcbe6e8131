package dev.llmharness.processor;

import com.palantir.javapoet.ClassName;
import dev.llmharness.api.Api;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.DurationText;
import dev.llmharness.api.Limits;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.Workload;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads one benchmark class: checks its structure, its {@code @Benchmark} methods and {@code @Param}
 * fields, merges class-level and method-level configuration and expands each method into trials.
 * Every problem is reported through the {@link Reporter}; a class with any problem has no model.
 *
 * <p>Merging: a method-level annotation replaces the class-level annotation of the same kind
 * entirely. Kinds: load ({@code @OpenLoop} or {@code @ClosedLoop}), workload ({@code @TokenShape}
 * or {@code @Dataset}; an EMPIRICAL {@code @TokenShape} without a {@code @Dataset} beside it takes
 * the class's {@code @Dataset}), {@code @Warmup}, {@code @Measurement}, {@code @Endpoint}, {@code
 * @Slo}, {@code @Seed}.
 */
final class BenchmarkReader {
    /**
     * Trials per benchmark method above which the processor refuses: each is a literal in the
     * generated code (which a JVM method limits to 64 KiB), and a run of them would take days.
     */
    static final int MAX_TRIALS_PER_METHOD = 1000;

    /**
     * {@code @Param} fields per class above which the processor refuses: each trial names every
     * field in the generated code, and a trial must fit in one JVM method (64 KiB of bytecode,
     * about 16 bytes per field). Far above any real benchmark.
     */
    static final int MAX_PARAM_FIELDS = 256;

    private static final Phase DEFAULT_WARMUP = Phase.ofDuration(DurationText.parse(Defaults.WARMUP_DURATION));
    private static final Phase DEFAULT_MEASUREMENT =
            Phase.ofDuration(DurationText.parse(Defaults.MEASUREMENT_DURATION));
    private static final Duration DEFAULT_DRAIN = DurationText.parse(Defaults.DRAIN_TIMEOUT);
    private static final Workload DEFAULT_WORKLOAD = ShapeWorkload.of(ShapePreset.CHAT, Defaults.ENCODING);
    private static final EndpointSpec DEFAULT_ENDPOINT =
            new EndpointSpec(Api.OPENAI_CHAT, "", "", Defaults.API_KEY_ENV);

    private final Elements elements;
    private final Types types;
    private final Reporter reporter;
    private final ConfigurationReader configuration;
    private final TraceFiles traces;

    BenchmarkReader(Elements elements, Types types, Reporter reporter, TraceFiles traces) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
        this.configuration = new ConfigurationReader(elements, reporter);
        this.traces = traces;
    }

    /** The model of {@code type}, or empty when it has errors (all of them reported). */
    Optional<SuiteModel> read(TypeElement type) {
        int errors = reporter.errorCount();
        List<ExecutableElement> benchmarks = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (AnnotationSite.find(method, Names.BENCHMARK) != null) {
                benchmarks.add(method);
            }
        }
        checkConfigurationOnPlainMethods(type);
        if (benchmarks.isEmpty()) {
            reportUselessAnnotations(type);
            return Optional.empty();
        }
        checkClass(type);
        checkInheritedParams(type);
        Level classLevel = configuration.read(type);
        List<ParamModel> params = readParams(type);
        List<BenchmarkMethodModel> methods = new ArrayList<>();
        for (ExecutableElement method : benchmarks) {
            BenchmarkMethodModel model = readMethod(type, method, classLevel, params);
            if (model != null) {
                methods.add(model);
            }
        }
        if (reporter.errorCount() != errors) {
            return Optional.empty();
        }
        return Optional.of(new SuiteModel(packageOf(type), simpleNames(type), params, methods));
    }

    // ---- the class

    private void checkClass(TypeElement type) {
        String name = type.getQualifiedName().toString();
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            reporter.error(
                    type,
                    "benchmark class " + name + " must be public: add the public modifier (its generated suite"
                            + " creates instances of it)");
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            reporter.error(
                    type,
                    "benchmark class " + name + " is an inner class: make it a static nested class (add static)"
                            + " or a top-level class, so that it can be created without an enclosing instance");
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            reporter.error(type, "benchmark class " + name + " must be a top-level or static nested class");
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            reporter.error(
                    type,
                    "benchmark class " + name + " must not be abstract: its suite creates it with new "
                            + type.getSimpleName() + "(), and @Benchmark methods are not inherited, so a subclass"
                            + " does not run them; remove abstract, or declare the @Benchmark methods (with their"
                            + " annotations) in each concrete subclass");
        }
        if (packageOf(type).isEmpty()) {
            reporter.error(
                    type,
                    "benchmark class " + name + " is in the default package: add a package declaration"
                            + " (generated suites cannot refer to the default package)");
        }
        if (!type.getTypeParameters().isEmpty()) {
            reporter.error(
                    type,
                    "benchmark class " + name + " must not be generic: remove its type parameters (the"
                            + " generated suite creates it with new " + type.getSimpleName() + "())");
        }
        boolean publicNoArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
        // A class that is not public has no public implicit constructor: one error is enough.
        if (!publicNoArg && type.getModifiers().contains(Modifier.PUBLIC)) {
            reporter.error(
                    type,
                    "benchmark class " + name + " needs a public no-argument constructor: add" + " public "
                            + type.getSimpleName() + "() {} (set parameters with @Param fields)");
        }
    }

    /**
     * {@code @Param} fields of a superclass are not set by this class's suite (parameters are read
     * from the benchmark class itself), so a benchmark reading one would always see its default.
     */
    private void checkInheritedParams(TypeElement type) {
        TypeMirror superclass = type.getSuperclass();
        while (superclass.getKind() == TypeKind.DECLARED) {
            TypeElement base = (TypeElement) types.asElement(superclass);
            for (VariableElement field : ElementFilter.fieldsIn(base.getEnclosedElements())) {
                if (AnnotationSite.find(field, Names.PARAM) != null) {
                    reporter.error(
                            type,
                            "benchmark class " + type.getQualifiedName() + " inherits the @Param field "
                                    + base.getSimpleName() + "." + field.getSimpleName() + ", which its suite does not"
                                    + " set (parameters are read from the benchmark class itself, not inherited):"
                                    + " declare the @Param field in " + type.getSimpleName());
                }
            }
            superclass = base.getSuperclass();
        }
    }

    /** Configuration annotations on a method without {@code @Benchmark} have no effect: say so. */
    private void checkConfigurationOnPlainMethods(TypeElement type) {
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (AnnotationSite.find(method, Names.BENCHMARK) != null) {
                continue;
            }
            for (String annotation : Names.CONFIGURATION) {
                AnnotationSite site = AnnotationSite.find(method, annotation);
                if (site != null) {
                    String foreign = AnnotationSite.lookalike(method, Names.BENCHMARK);
                    reporter.error(
                            site,
                            site.simpleName() + " on " + method.getSimpleName() + " has no effect: "
                                    + method.getSimpleName() + " is not a @Benchmark method; "
                                    + (foreign != null
                                            ? "its @Benchmark is " + foreign + ", not " + Names.BENCHMARK + ": import "
                                                    + Names.BENCHMARK
                                            : "add @Benchmark or remove " + site.simpleName()));
                }
            }
        }
    }

    /** A class without benchmark methods whose configuration or parameters would be ignored. */
    private void reportUselessAnnotations(TypeElement type) {
        for (String annotation : Names.CONFIGURATION) {
            AnnotationSite site = AnnotationSite.find(type, annotation);
            if (site != null) {
                reporter.error(
                        site,
                        site.simpleName() + " on " + type.getSimpleName() + " has no effect: "
                                + type.getSimpleName() + " declares no @Benchmark method; add one or remove "
                                + site.simpleName());
            }
        }
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationSite site = AnnotationSite.find(field, Names.PARAM);
            if (site != null) {
                reporter.error(
                        site,
                        "@Param on " + type.getSimpleName() + "." + field.getSimpleName() + " has no effect: "
                                + type.getSimpleName() + " declares no @Benchmark method (parameters are read"
                                + " from the benchmark class itself, not from subclasses); move the field"
                                + " into the benchmark class");
            }
        }
    }

    // ---- @Param fields

    private List<ParamModel> readParams(TypeElement type) {
        List<ParamModel> params = new ArrayList<>();
        int fields = 0;
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationSite site = AnnotationSite.find(field, Names.PARAM);
            String foreign = AnnotationSite.lookalike(field, Names.PARAM);
            if (site == null && foreign != null) {
                reporter.error(
                        field,
                        "field " + field.getSimpleName() + " is annotated with " + foreign + ", which LLM Harness"
                                + " does not read, so it would never vary: use " + Names.PARAM + " instead");
            }
            if (site != null && ++fields == MAX_PARAM_FIELDS + 1) {
                reporter.error(
                        site,
                        "@Param on " + field.getSimpleName() + " is the " + fields + "th @Param field of "
                                + type.getSimpleName() + "; a class may have at most " + MAX_PARAM_FIELDS
                                + ": split the benchmark class, or turn fields that never vary into constants");
            }
            if (site != null) {
                ParamModel param = readParam(field, site);
                if (param != null) {
                    params.add(param);
                }
            }
        }
        return params;
    }

    private ParamModel readParam(VariableElement field, AnnotationSite site) {
        int errors = reporter.errorCount();
        String name = field.getSimpleName().toString();
        for (Modifier forbidden : List.of(Modifier.PRIVATE, Modifier.FINAL, Modifier.STATIC)) {
            if (field.getModifiers().contains(forbidden)) {
                reporter.error(
                        field,
                        "@Param field " + name + " must not be " + forbidden + ": remove " + forbidden
                                + " (the generated suite sets the field on each new instance)");
            }
        }
        if (Names.RESERVED_PARAMS.contains(name)) {
            reporter.error(
                    field,
                    "@Param field name " + name + " is reserved for the trial parameter of the load or token"
                            + " shape (rate, concurrency, input, output): rename the field");
        }
        ParamType paramType = paramType(field.asType());
        ClassName enumType = null;
        Set<String> constants = Set.of();
        if (paramType == null) {
            reporter.error(
                    field,
                    "@Param field " + name + " has type " + field.asType() + ", which a value string cannot"
                            + " convert to: use String, a primitive, its box, or an enum");
        } else if (paramType == ParamType.ENUM) {
            TypeElement enumElement = (TypeElement) types.asElement(field.asType());
            if (enumElement.getModifiers().contains(Modifier.PRIVATE)) {
                reporter.error(
                        field,
                        "@Param field " + name + " has the private enum type " + enumElement.getSimpleName()
                                + ", which the generated suite cannot name: make the enum package-private or public");
            }
            enumType = ClassName.get(enumElement);
            Set<String> names = new java.util.LinkedHashSet<>(); // declaration order, for examples
            for (Element e : enumElement.getEnclosedElements()) {
                if (e.getKind() == ElementKind.ENUM_CONSTANT) {
                    names.add(e.getSimpleName().toString());
                }
            }
            constants = names;
        }
        @SuppressWarnings("unchecked")
        List<AnnotationValue> values = (List<AnnotationValue>) configuration.value(site, "value");
        if (values.isEmpty()) {
            String example = paramType == ParamType.ENUM && !constants.isEmpty()
                    ? constants.stream()
                            .limit(2)
                            .map(c -> "\"" + c + "\"")
                            .collect(java.util.stream.Collectors.joining(", ", "{", "}"))
                    : paramType == null ? "{\"1\", \"2\"}" : paramType.example();
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@Param on " + name + " lists no value; give at least one"
                            + (paramType == ParamType.ENUM ? " constant of " + enumType.simpleName() : "")
                            + ", e.g. @Param(" + example + ")");
        }
        List<String> strings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Object, String> parsed = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            String value = (String) values.get(i).getValue();
            AnnotationValue at = site.explicitElement("value", i);
            if (!seen.add(value)) {
                reporter.error(
                        site,
                        at,
                        "@Param on " + name + " lists \"" + value + "\" twice; each value makes one trial, so"
                                + " remove the duplicate");
                continue;
            }
            if (paramType != null && paramType != ParamType.ENUM && paramType.conversionProblem(value) == null) {
                String same = parsed.putIfAbsent(paramType.parsed(value), value);
                if (same != null) {
                    reporter.error(
                            site,
                            at,
                            "@Param on " + name + " lists \"" + value + "\", the same " + paramType.javaName()
                                    + " as \"" + same + "\"; the two would make identical trials, so remove one");
                    continue;
                }
            }
            if (paramType == ParamType.ENUM && !constants.contains(value)) {
                reporter.error(
                        site,
                        at,
                        "@Param value \"" + value + "\" is not a constant of " + enumType.simpleName() + " (field "
                                + name + "); use one of " + new TreeSet<>(constants));
            } else if (paramType != null) {
                String problem = paramType.conversionProblem(value);
                if (problem != null) {
                    reporter.error(
                            site,
                            at,
                            "@Param value \"" + value + "\" " + problem + " (field " + name + " is "
                                    + paramType.javaName() + "); write a value of the field's type, or change"
                                    + " the field's type");
                }
            }
            strings.add(value);
        }
        return reporter.errorCount() == errors ? new ParamModel(name, paramType, enumType, strings) : null;
    }

    private ParamType paramType(TypeMirror type) {
        switch (type.getKind()) {
            case INT:
                return ParamType.INT;
            case LONG:
                return ParamType.LONG;
            case SHORT:
                return ParamType.SHORT;
            case BYTE:
                return ParamType.BYTE;
            case DOUBLE:
                return ParamType.DOUBLE;
            case FLOAT:
                return ParamType.FLOAT;
            case CHAR:
                return ParamType.CHAR;
            case BOOLEAN:
                return ParamType.BOOLEAN;
            case DECLARED:
                TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
                if (element.getKind() == ElementKind.ENUM) {
                    return ParamType.ENUM;
                }
                return switch (element.getQualifiedName().toString()) {
                    case "java.lang.String" -> ParamType.STRING;
                    case "java.lang.Integer" -> ParamType.BOXED_INT;
                    case "java.lang.Long" -> ParamType.BOXED_LONG;
                    case "java.lang.Short" -> ParamType.BOXED_SHORT;
                    case "java.lang.Byte" -> ParamType.BOXED_BYTE;
                    case "java.lang.Double" -> ParamType.BOXED_DOUBLE;
                    case "java.lang.Float" -> ParamType.BOXED_FLOAT;
                    case "java.lang.Character" -> ParamType.BOXED_CHAR;
                    case "java.lang.Boolean" -> ParamType.BOXED_BOOLEAN;
                    default -> null;
                };
            default:
                return null;
        }
    }

    // ---- @Benchmark methods

    private BenchmarkMethodModel readMethod(
            TypeElement type, ExecutableElement method, Level classLevel, List<ParamModel> params) {
        int errors = reporter.errorCount();
        String name = method.getSimpleName().toString();
        if (!method.getModifiers().contains(Modifier.PUBLIC)) {
            reporter.error(
                    method,
                    "@Benchmark method " + name + " must be public: add the public modifier (the generated suite"
                            + " calls it directly)");
        }
        if (method.getModifiers().contains(Modifier.STATIC)) {
            reporter.error(
                    method,
                    "@Benchmark method " + name + " must not be static: remove static (it is called on an"
                            + " instance whose @Param fields are set)");
        }
        if (!method.getTypeParameters().isEmpty()) {
            reporter.error(method, "@Benchmark method " + name + " must not be generic: remove its type parameters");
        }
        long sameName = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> m.getSimpleName().contentEquals(name))
                .count();
        if (sameName > 1) {
            reporter.error(
                    method,
                    "@Benchmark method " + name + " is overloaded in " + type.getSimpleName()
                            + "; benchmarks are named <class>.<method>, so give each method its own name");
        }
        boolean takesPrompt = false;
        List<? extends VariableElement> parameters = method.getParameters();
        if (parameters.size() == 1 && isType(parameters.get(0).asType(), Names.PROMPT)) {
            takesPrompt = true;
        } else if (!parameters.isEmpty()) {
            String lookalike =
                    parameters.size() == 1 ? lookalike(parameters.get(0).asType(), List.of(Names.PROMPT)) : null;
            reporter.error(
                    method,
                    lookalike != null
                            ? "@Benchmark method " + name + " takes a "
                                    + parameters.get(0).asType() + ", not a "
                                    + lookalike + ": import " + lookalike + " (or write it qualified); a class of"
                                    + " the same simple name in your package takes its place"
                            : "@Benchmark method " + name + " must take no parameter or one " + Names.PROMPT
                                    + ", e.g. public ChatRequest " + name + "(Prompt prompt); use @Param fields for"
                                    + " other inputs");
        }
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (isChecked(thrown)) {
                reporter.error(
                        method,
                        "@Benchmark method " + name + " declares the checked exception " + thrown
                                + "; it runs on the request path, where a failure is recorded per request:"
                                + " catch it in the method or wrap it in an unchecked exception");
            }
        }
        String returned = returnKind(method.getReturnType());
        if (returned == null) {
            String lookalike = lookalike(
                    method.getReturnType(), List.of(Names.CHAT_REQUEST, Names.COMPLETION_REQUEST, Names.LLM_REQUEST));
            reporter.error(
                    method,
                    lookalike != null
                            ? "@Benchmark method " + name + " returns " + method.getReturnType() + ", not "
                                    + lookalike + ": import " + lookalike + " (or write it qualified); a class of"
                                    + " the same simple name in your package takes its place"
                            : "@Benchmark method " + name + " returns " + method.getReturnType()
                                    + "; return ChatRequest, CompletionRequest or LlmRequest (dev.llmharness.api),"
                                    + " e.g. return ChatRequest.of(prompt)");
        }

        Level methodLevel = configuration.read(method);
        Decl<Level.Load> load = methodLevel.load() != null ? methodLevel.load() : classLevel.load();
        if (load == null) {
            reporter.error(
                    method,
                    "no load model applies to @Benchmark method " + name + ": add @OpenLoop(rate = ...) or"
                            + " @ClosedLoop(concurrency = ...) to the method or to " + type.getSimpleName());
        }
        Decl<Phase> warmup = pick(methodLevel.warmup(), classLevel.warmup());
        Decl<Level.Window> measurement = pick(methodLevel.measurement(), classLevel.measurement());
        Decl<EndpointSpec> endpoint = pick(methodLevel.endpoint(), classLevel.endpoint());
        Decl<SloSpec> slo = pick(methodLevel.slo(), classLevel.slo());
        Decl<Long> seed = pick(methodLevel.seed(), classLevel.seed());
        Decl<java.util.Map<String, String>> analysis = pick(methodLevel.analysis(), classLevel.analysis());
        Level workloadLevel = methodLevel.declaresWorkload() ? methodLevel : classLevel;
        Decl<Level.Shape> shape = workloadLevel.shape();
        Decl<DatasetWorkload> dataset = workloadLevel.dataset();
        if (shape != null && shape.valid() && shape.value().empirical() && dataset == null) {
            // An EMPIRICAL shape draws its lengths from the dataset of its own level, else the class's.
            dataset = classLevel.dataset();
            if (dataset == null) {
                reporter.error(
                        shape.site(),
                        "@TokenShape with an EMPIRICAL distribution needs a @Dataset to draw lengths from: add"
                                + " @Dataset to " + shape.site().element().getSimpleName() + " or to "
                                + type.getSimpleName() + ", or choose FIXED, UNIFORM or NORMAL");
            }
        }
        if (shape != null
                && shape.valid()
                && dataset != null
                && dataset.valid()
                && shape.value().empirical()
                && !shape.value().encoding().equals(dataset.value().encoding())) {
            reporter.error(
                    shape.site(),
                    "@TokenShape(encoding = \"" + shape.value().encoding() + "\") differs from the @Dataset encoding \""
                            + dataset.value().encoding() + "\" whose lengths it draws: use the same encoding in both");
        }

        Api api = endpoint == null
                ? DEFAULT_ENDPOINT.api()
                : endpoint.valid() ? endpoint.value().api() : null;
        if (returned != null && api != null) {
            String source = endpoint == null ? " (the default when no @Endpoint applies)" : "";
            // The API says which request shape it takes; the processor knows no API by name.
            if (returned.equals(Names.CHAT_REQUEST) && !api.takesMessages()) {
                reporter.error(
                        method,
                        "@Benchmark method " + name + " returns ChatRequest but its @Endpoint(api) is " + api
                                + ", which takes a prompt: return CompletionRequest, or use api = Api.OPENAI_CHAT"
                                + " or another API that takes messages (" + apisTaking(true) + ")");
            } else if (returned.equals(Names.COMPLETION_REQUEST) && !api.takesPrompt()) {
                reporter.error(
                        method,
                        "@Benchmark method " + name + " returns CompletionRequest but its @Endpoint(api) is " + api
                                + source + ", which takes messages: add @Endpoint(api = Api.OPENAI_COMPLETIONS)"
                                + " or another API that takes a prompt (" + apisTaking(false) + "), or return"
                                + " ChatRequest");
            }
        }
        if (endpoint != null && endpoint.valid() && !endpoint.value().stream() && slo != null && slo.valid()) {
            // A non-streamed answer comes whole: it has an E2E, and no first token or token gaps.
            for (dev.llmharness.api.spi.LatencyBound b : slo.value().bounds()) {
                if (b.metric() != dev.llmharness.api.spi.SloMetric.E2E) {
                    reporter.error(
                            slo.site(),
                            "@Slo bounds " + b.metric() + " of " + name + ", whose @Endpoint(stream = false) sends"
                                    + " non-streamed requests, which have no first token or token gaps: bound e2e"
                                    + " only, or stream");
                    break;
                }
            }
        }
        if (reporter.errorCount() != errors
                || !allValid(load, warmup, measurement, endpoint, slo, seed, shape, dataset, analysis)) {
            return null;
        }
        Phase measured =
                measurement == null ? DEFAULT_MEASUREMENT : measurement.value().phase();
        Phase warm = warmup == null ? DEFAULT_WARMUP : warmup.value();
        checkMeasuredLength(load, slo, measured, warm);
        checkExpectedRequests(load, measurement, measured, warm);
        if (reporter.errorCount() != errors) {
            return null;
        }

        List<TrialSpec> trials = expand(
                type.getQualifiedName() + "." + name,
                load.value(),
                warmup == null ? DEFAULT_WARMUP : warmup.value(),
                measurement == null ? DEFAULT_MEASUREMENT : measurement.value().phase(),
                measurement == null ? DEFAULT_DRAIN : measurement.value().drainTimeout(),
                shape == null ? null : shape.value(),
                dataset == null ? null : dataset.value(),
                endpoint == null ? DEFAULT_ENDPOINT : endpoint.value(),
                slo == null ? SloSpec.NONE : slo.value(),
                seed == null ? Defaults.SEED : seed.value(),
                analysis == null ? Map.of() : analysis.value(),
                params,
                method);
        return trials == null ? null : new BenchmarkMethodModel(name, takesPrompt, trials);
    }

    /**
     * A window must hold a handful of requests ({@link Limits#MIN_EXPECTED_REQUESTS}) for any
     * figure to mean something: an open-loop rate times a timed window below it, or a count below
     * it, is an error; a timed warmup that expects less than one request warms nothing, a warning.
     */
    private void checkExpectedRequests(
            Decl<Level.Load> load, Decl<Level.Window> measurementDecl, Phase measurement, Phase warmup) {
        int least = Limits.MIN_EXPECTED_REQUESTS;
        if (measurement.countsRequests()) {
            if (measurement.requests() < least) {
                AnnotationSite site = measurementDecl.site();
                reporter.error(
                        site,
                        site.explicit("requests"),
                        "@Measurement(requests) " + measurement.requests() + " is fewer than " + least
                                + " requests (Limits.MIN_EXPECTED_REQUESTS), too few for any latency or throughput"
                                + " figure: count at least " + least + ", e.g. @Measurement(requests = 100)");
            }
        }
        List<LoadModel> models = load.value().models();
        for (int i = 0; i < models.size(); i++) {
            int index = i;
            // One method per kind of load: a new kind does not compile until it says what it expects.
            models.get(i).accept(new LoadModel.Visitor<Void>() {
                @Override
                public Void open(OpenLoopModel open) {
                    checkOpenLoop(load, measurementDecl, measurement, warmup, open, index, least);
                    return null;
                }

                @Override
                public Void shaped(ShapedLoadModel shaped) {
                    checkShape(load.site(), shaped, measurement, warmup, least);
                    return null;
                }

                // A trace's arrivals are in its file (read at run time), a closed loop's follow the
                // server's speed: neither expects a number of requests the processor could check.
                @Override
                public Void trace(TraceLoadModel trace) {
                    return null;
                }

                @Override
                public Void closed(ClosedLoopModel closed) {
                    return null;
                }

                @Override
                public Void stagedClosed(StagedClosedLoopModel staged) {
                    checkRampUp(load.site(), staged, measurement, warmup);
                    return null;
                }
            });
        }
    }

    /**
     * What a trial measures, one rule for every kind of load ({@link LoadModel#measuredLength}, the
     * rule the runtime measures by): a load that ends by itself (a rate shape, stages of workers, a
     * trace whose file the processor can read) is measured from the end of a timed warmup to its
     * own end, so the warmup must end before the load does; a per-window SLO judges whole windows
     * of what is measured, so its window must fit in it (else the per-window verdict would judge
     * one partial window, the whole trial, under its name). A trace whose file cannot be read at
     * compile time is checked by the run, which reads the file before any load.
     */
    private void checkMeasuredLength(Decl<Level.Load> load, Decl<SloSpec> slo, Phase measurement, Phase warmup) {
        Duration warm = warmup.countsRequests() || warmup.isEmpty() ? Duration.ZERO : warmup.duration();
        for (LoadModel model : load.value().models()) {
            Optional<OwnLength> length = lengthOf(model, load.site());
            // A trace of one request lasts 0s: without a warmup, that request is measured.
            if (length.isPresent()
                    && !measurement.countsRequests()
                    && !warm.isZero()
                    && warm.compareTo(length.get().length()) >= 0) {
                reportWarmupTooLong(load.site(), length.get(), warm);
                return;
            }
            Optional<Duration> measured = measurement.countsRequests()
                    ? Optional.empty()
                    : length.isPresent()
                            ? Optional.of(length.get().length().minus(warm))
                            : model.measuredLength(warmup, measurement);
            if (slo != null && measured.isPresent() && !windowFits(slo, measured.get(), length.isPresent())) {
                return;
            }
        }
    }

    /**
     * How long a load runs by itself, and how messages name it.
     *
     * @param whole {@code shape} or {@code trace}
     * @param source where the length comes from, after the length itself; empty for a shape
     * @param attribute the annotation attribute that sets the length, if one alone does
     */
    private record OwnLength(Duration length, String whole, String source, String attribute) {}

    /**
     * How long {@code model} runs by itself ({@link LoadModel#length()}); for a trace, what its
     * file's recorded span lasts at its speed-up, when the file is readable now. A trace file that
     * is not there gets a note on its path naming where it was looked for and the rule, so that a
     * check left to the run is not a surprise.
     */
    private Optional<OwnLength> lengthOf(LoadModel model, AnnotationSite site) {
        Optional<OwnLength> own = model.length().map(d -> new OwnLength(d, "shape", "", "duration"));
        return own.or(() -> model.accept(new LoadModel.Visitor<Optional<OwnLength>>() {
            @Override
            public Optional<OwnLength> trace(TraceLoadModel trace) {
                Optional<java.nio.file.Path> missing = traces.missing(trace.path(), site.element());
                boolean relative = !trace.path().startsWith("classpath:")
                        && traces.resolve(trace.path(), site.element()).isPresent()
                        && !java.nio.file.Path.of(trace.path()).isAbsolute();
                if (missing.isPresent()) {
                    reporter.note(
                            site,
                            site.explicit("path"),
                            site.simpleName() + "(path) \"" + trace.path() + "\" is not there at compile time (looked"
                                    + " for " + missing.get()
                                    + (relative
                                            ? ": "
                                                    + traces.baseDir(site.element())
                                                            .rule()
                                            : "")
                                    + "), so its length is not checked now: llmh run reads it before any load and"
                                    + " checks it then");
                    return Optional.empty();
                }
                String from = relative
                        ? " from "
                                + traces.resolve(trace.path(), site.element()).orElseThrow()
                        : "";
                return traces.span(trace.path(), site.element())
                        .map(span -> new OwnLength(
                                trace.speedup() == 1.0
                                        ? span
                                        : Duration.ofNanos(Math.round(span.toNanos() / trace.speedup())),
                                "trace",
                                ": its requests from the first to the last in " + trace.path()
                                        + " (read at compile time" + from
                                        + (trace.speedup() == 1.0
                                                ? ""
                                                : ", " + DurationText.format(span) + " replayed at speedup "
                                                        + TrialSpec.formatRate(trace.speedup()))
                                        + ")",
                                "path"));
            }

            @Override
            public Optional<OwnLength> open(OpenLoopModel open) {
                return Optional.empty();
            }

            @Override
            public Optional<OwnLength> shaped(ShapedLoadModel shaped) {
                return Optional.empty();
            }

            @Override
            public Optional<OwnLength> closed(ClosedLoopModel closed) {
                return Optional.empty();
            }

            @Override
            public Optional<OwnLength> stagedClosed(StagedClosedLoopModel staged) {
                return Optional.empty();
            }
        }));
    }

    /**
     * A timed warmup as long as the load it warms leaves nothing to measure: reported on the
     * attribute that sets the load's length when one does ({@code duration}, a trace's {@code
     * path}), else on the annotation, with both fixes.
     */
    private void reportWarmupTooLong(AnnotationSite site, OwnLength length, Duration warm) {
        long shorter = length.length().getSeconds() / 2;
        reporter.error(
                site,
                site.explicit(length.attribute()),
                site.simpleName() + " on " + site.element().getSimpleName() + ": the warmup ("
                        + DurationText.format(warm) + ") is as long as the whole " + length.whole() + " ("
                        + DurationText.format(length.length()) + length.source()
                        + "), so nothing would be measured: add @Warmup(duration = \"0s\") to measure the whole "
                        + length.whole() + ", or a shorter warmup"
                        + (shorter >= 1 ? ", e.g. @Warmup(duration = \"" + shorter + "s\")" : ""));
    }

    /**
     * Whether the per-window SLO's window fits in the {@code measured} time; when it does not,
     * reports it on the SLO's {@code window} attribute.
     *
     * @param ownLength whether the load ends by itself (then the warmup shortens what is measured)
     */
    private boolean windowFits(Decl<SloSpec> slo, Duration measured, boolean ownLength) {
        if (slo.value().windows().isEmpty()) {
            return true;
        }
        int seconds = slo.value().windows().get().seconds();
        if (Duration.ofSeconds(seconds).compareTo(measured) <= 0) {
            return true;
        }
        AnnotationSite site = slo.site();
        long fits = measured.getSeconds();
        reporter.error(
                site,
                site.explicit("window"),
                "@Slo(window) \"" + seconds + "s\" is longer than the " + DurationText.format(measured)
                        + " the trial measures ("
                        + (ownLength ? "its load's length after the warmup" : "its measurement window")
                        + "), so no whole window fits: "
                        + (fits >= 1 ? "give window = \"" + fits + "s\" or shorter, or " : "")
                        + (ownLength ? "lengthen the load or shorten the warmup" : "lengthen @Measurement(duration)"));
        return false;
    }

    /**
     * Workers ramped up ({@code @ClosedLoop(rampUp)}) start at {@code k × rampUp / N}: a ramp as
     * long as the warmup and a timed window together would leave its last workers unstarted when
     * the window closes, so the trial would never run at its concurrency.
     */
    private void checkRampUp(AnnotationSite site, StagedClosedLoopModel staged, Phase measurement, Phase warmup) {
        if (!staged.holdLast() || measurement.countsRequests()) {
            return;
        }
        Duration ramp = staged.stages().get(0).duration();
        Duration warm = warmup.countsRequests() || warmup.isEmpty() ? Duration.ZERO : warmup.duration();
        Duration end = warm.plus(measurement.duration());
        if (ramp.compareTo(end) >= 0) {
            reporter.error(
                    site,
                    site.explicit("rampUp"),
                    site.attr("rampUp") + " \"" + DurationText.format(ramp) + "\" is as long as the warmup and the"
                            + " window together (" + DurationText.format(end) + "), so the last workers would never"
                            + " start: give a rampUp well within " + DurationText.format(end) + ", or lengthen"
                            + " @Measurement(duration)");
        }
    }

    /** The {@code index}-th rate of an {@code @OpenLoop}: its window and warmup against its rate. */
    private void checkOpenLoop(
            Decl<Level.Load> load,
            Decl<Level.Window> measurementDecl,
            Phase measurement,
            Phase warmup,
            OpenLoopModel open,
            int i,
            int least) {
        AnnotationSite site = load.site();
        AnnotationValue at = site.explicitElement("rate", i);
        String rate = TrialSpec.formatRate(open.rate());
        long most = (long) Math.floor(open.rate() * Limits.MAX_DURATION.getSeconds());
        if (measurement.countsRequests() && measurement.requests() > most) {
            // A count the rate takes longer than any phase may last to send: the same bound as a duration's.
            AnnotationSite m = measurementDecl.site();
            reporter.error(
                    m,
                    m.explicit("requests"),
                    "@Measurement(requests) " + measurement.requests() + " at " + rate + " requests/s would take"
                            + " longer than " + DurationText.format(Limits.MAX_DURATION) + " (Limits.MAX_DURATION):"
                            + " count at most " + most + " requests at that rate, or bound the window by duration");
        }
        if (!measurement.countsRequests()) {
            double seconds = measurement.duration().toNanos() / 1e9;
            double expected = open.rate() * seconds;
            if (expected < least) {
                String window = measurementDecl == null
                        ? "the default " + DurationText.format(measurement.duration()) + " measurement window"
                        : "the " + DurationText.format(measurement.duration()) + " measurement window";
                reporter.error(
                        site,
                        at,
                        "@OpenLoop(rate) " + rate + " requests/s over " + window + " expects "
                                + twoDigits(expected) + " requests, fewer than " + least
                                + " (Limits.MIN_EXPECTED_REQUESTS), too few for any latency or throughput"
                                + " figure: raise the rate to at least "
                                + TrialSpec.formatRate(roundUp(least / seconds)) + ", lengthen the window with"
                                + " @Measurement(duration = \"" + secondsFor(least, open.rate()) + "\"), or"
                                + " bound it by count with @Measurement(requests = " + least + ")");
            }
        }
        if (!warmup.countsRequests() && !warmup.isEmpty()) {
            double expected = open.rate() * (warmup.duration().toNanos() / 1e9);
            if (expected < 1) {
                reporter.warning(
                        site,
                        at,
                        "@OpenLoop(rate) " + rate + " requests/s over the " + DurationText.format(warmup.duration())
                                + " warmup expects " + twoDigits(expected) + " requests, fewer than one, so"
                                + " the warmup likely sends nothing: lengthen it with @Warmup(duration = \""
                                + secondsFor(1, open.rate()) + "\"), count with @Warmup(requests = 1), or"
                                + " turn it off with @Warmup(duration = \"0s\")");
            }
        }
    }

    /**
     * A rate shape is measured from the end of a timed warmup to its own end: what is left must
     * expect enough requests for any figure.
     */
    private void checkShape(AnnotationSite site, ShapedLoadModel shape, Phase measurement, Phase warmup, int least) {
        if (measurement.countsRequests()) {
            return;
        }
        String name = site.simpleName() + " on " + site.element().getSimpleName();
        Duration warm = warmup.countsRequests() || warmup.isEmpty() ? Duration.ZERO : warmup.duration();
        if (warm.compareTo(shape.duration()) >= 0) {
            return; // nothing measured at all: checkMeasuredLength said so
        }
        double expected = shape.expectedArrivalsAfter(warm);
        if (expected < least) {
            reporter.error(
                    site,
                    name + " expects " + twoDigits(expected) + " requests"
                            + (warm.isZero() ? "" : " after the " + DurationText.format(warm) + " warmup")
                            + ", fewer than " + least + " (Limits.MIN_EXPECTED_REQUESTS), too few for any latency or"
                            + " throughput figure: raise its rates or lengthen it"
                            + (warm.isZero() ? "" : ", or shorten the warmup (@Warmup(duration = \"0s\"))"));
        }
    }

    /** Two significant digits, e.g. {@code 3}, {@code 0.5}, {@code 0.083}. */
    private static String twoDigits(double value) {
        return new BigDecimal(value)
                .round(new MathContext(2))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** {@code value} rounded up to two significant digits, so that it is enough. */
    private static double roundUp(double value) {
        return new BigDecimal(value)
                .round(new MathContext(2, RoundingMode.CEILING))
                .doubleValue();
    }

    /** The whole seconds in which {@code rate} expects {@code requests}, as a duration string. */
    private static String secondsFor(int requests, double rate) {
        return DurationText.format(Duration.ofSeconds((long) Math.ceil(requests / rate - 1e-9)));
    }

    private static <T> Decl<T> pick(Decl<T> method, Decl<T> type) {
        return method != null ? method : type;
    }

    private static boolean allValid(Decl<?>... decls) {
        for (Decl<?> decl : decls) {
            if (decl != null && !decl.valid()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cross product, outermost first: load values, input lengths, output lengths, then each
     * {@code @Param} field's values in declaration order (the last field varies fastest).
     */
    private List<TrialSpec> expand(
            String benchmark,
            Level.Load load,
            Phase warmup,
            Phase measurement,
            Duration drain,
            Level.Shape shape,
            DatasetWorkload dataset,
            EndpointSpec endpoint,
            SloSpec slo,
            long seed,
            Map<String, String> analysis,
            List<ParamModel> params,
            ExecutableElement method) {
        List<Map<String, String>> paramSets = new ArrayList<>();
        paramSets.add(new LinkedHashMap<>());
        for (ParamModel param : params) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> set : paramSets) {
                for (String value : param.values()) {
                    Map<String, String> copy = new LinkedHashMap<>(set);
                    copy.put(param.name(), value);
                    next.add(copy);
                }
            }
            paramSets = next;
        }
        List<LengthSpec> inputs = shape == null ? List.of(LengthSpec.fixed(1)) : shape.inputs();
        List<LengthSpec> outputs = shape == null ? List.of(LengthSpec.fixed(1)) : shape.outputs();
        long count = (long) load.models().size() * inputs.size() * outputs.size() * paramSets.size();
        if (count > MAX_TRIALS_PER_METHOD) {
            reporter.error(
                    method,
                    "@Benchmark method " + method.getSimpleName() + " expands into " + count + " trials, more than "
                            + MAX_TRIALS_PER_METHOD + ": list fewer load, token-shape or @Param values, or split"
                            + " the method");
            return null;
        }
        List<TrialSpec> trials = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int l = 0; l < load.models().size(); l++) {
            for (LengthSpec input : inputs) {
                for (LengthSpec output : outputs) {
                    Workload workload;
                    if (shape == null) {
                        workload = dataset != null ? dataset : DEFAULT_WORKLOAD;
                    } else {
                        workload = new ShapeWorkload(
                                shape.preset(),
                                input,
                                output,
                                shape.sharedPrefix(),
                                shape.exactOutput(),
                                shape.encoding(),
                                shape.empirical() ? dataset : null);
                    }
                    for (Map<String, String> set : paramSets) {
                        Map<String, String> trialParams = new LinkedHashMap<>();
                        trialParams.put(load.paramName(), load.paramValues().get(l));
                        if (shape != null && shape.inputListed()) {
                            trialParams.put("input", Integer.toString(input.value()));
                        }
                        if (shape != null && shape.outputListed()) {
                            trialParams.put("output", Integer.toString(output.value()));
                        }
                        trialParams.putAll(set);
                        TrialSpec trial = new TrialSpec(
                                benchmark,
                                trialParams,
                                load.models().get(l),
                                warmup,
                                measurement,
                                drain,
                                workload,
                                endpoint,
                                slo,
                                seed,
                                analysis);
                        if (!ids.add(trial.id())) {
                            reporter.error(
                                    method,
                                    "@Benchmark method " + method.getSimpleName() + " has two trials with the id "
                                            + trial.id() + "; make the load, token-shape and @Param values distinct");
                            return null;
                        }
                        trials.add(trial);
                    }
                }
            }
        }
        return trials;
    }

    // ---- types

    private boolean isType(TypeMirror type, String qualifiedName) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement())
                        .getQualifiedName()
                        .contentEquals(qualifiedName);
    }

    /**
     * The harness type among {@code ours} that {@code type} is mistaken for: same simple name,
     * another class (one of the user's, or another library's); {@code null} when there is none.
     */
    private static String lookalike(TypeMirror type, List<String> ours) {
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        for (String qualified : ours) {
            if (!element.getQualifiedName().contentEquals(qualified)
                    && qualified.endsWith("." + element.getSimpleName())) {
                return qualified;
            }
        }
        return null;
    }

    /** The qualified name of an accepted return type, or {@code null}. */
    private String returnKind(TypeMirror type) {
        for (String accepted : List.of(Names.CHAT_REQUEST, Names.COMPLETION_REQUEST, Names.LLM_REQUEST)) {
            if (isType(type, accepted)) {
                return accepted;
            }
        }
        return null;
    }

    private boolean isChecked(TypeMirror thrown) {
        TypeElement runtime = elements.getTypeElement("java.lang.RuntimeException");
        TypeElement error = elements.getTypeElement("java.lang.Error");
        return !types.isAssignable(thrown, runtime.asType()) && !types.isAssignable(thrown, error.asType());
    }

    private String packageOf(TypeElement type) {
        return elements.getPackageOf(type).getQualifiedName().toString();
    }

    static List<String> simpleNames(TypeElement type) {
        List<String> names = new ArrayList<>();
        Element e = type;
        while (e instanceof TypeElement t) {
            names.add(0, t.getSimpleName().toString());
            e = e.getEnclosingElement();
        }
        return names;
    }

    /** The non-OpenAI APIs that take only messages, or only a prompt, e.g. {@code "OLLAMA_CHAT"}. */
    private static String apisTaking(boolean messages) {
        StringBuilder out = new StringBuilder();
        for (Api a : Api.values()) {
            boolean fits = messages ? a.takesMessages() && !a.takesPrompt() : a.takesPrompt() && !a.takesMessages();
            if (fits && a != Api.OPENAI_CHAT && a != Api.OPENAI_COMPLETIONS) {
                out.append(out.length() == 0 ? "" : ", ").append(a);
            }
        }
        return out.toString();
    }
}
