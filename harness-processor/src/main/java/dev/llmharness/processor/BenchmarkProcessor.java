package dev.llmharness.processor;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The LLM Harness annotation processor: validates benchmark classes and generates one {@code
 * <Class>_BenchmarkSuite} per class, registered under {@code
 * META-INF/services/dev.llmharness.api.spi.BenchmarkSuite}.
 *
 * <p>Steps: find the classes involved in the round, read and validate each ({@link BenchmarkReader},
 * which builds an immutable {@link SuiteModel}), write each valid model ({@link SuiteWriter}) to a
 * {@link SuiteDestination}, and register the suites when processing is over. Each class is handled
 * on its own: a class with errors generates nothing, the others still generate. Any exception is
 * reported as a compile error on the class being processed, never thrown at javac.
 *
 * <p>Use it by naming it in the compiler configuration ({@code annotationProcessorPaths} and
 * {@code annotationProcessors} in Maven); JDK 23 and later no longer run processors found on the
 * class path.
 */
public final class BenchmarkProcessor extends AbstractProcessor {
    private final SuiteDestination destinationOverride;
    private final List<String> suites = new ArrayList<>();
    private Reporter reporter;
    private BenchmarkReader reader;
    private SuiteWriter writer;
    private SuiteNames suiteNames;
    private InheritedBenchmarks inherited;
    /** {@code null} when the compiler offers no source trees. */
    private UnreachableAnnotations unreachable;

    private CostCheck costs;

    private SuiteDestination destination;

    /** The processor javac instantiates: suites go to the {@link Filer}. */
    public BenchmarkProcessor() {
        this(null);
    }

    /** A processor whose suites go to {@code destination} instead of the filer (tests). */
    BenchmarkProcessor(SuiteDestination destination) {
        this.destinationOverride = destination;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        reporter = new Reporter(env.getMessager());
        reader = new BenchmarkReader(env.getElementUtils(), env.getTypeUtils(), reporter, traceFiles(env));
        writer = new SuiteWriter();
        suiteNames = new SuiteNames(env.getElementUtils(), reporter);
        inherited = new InheritedBenchmarks(env.getElementUtils(), env.getTypeUtils(), reporter);
        unreachable = UnreachableAnnotations.create(env, reporter);
        costs = new CostCheck(env.getElementUtils(), reporter);
        Filer filer = env.getFiler();
        destination =
                destinationOverride != null ? destinationOverride : (model, source, origin) -> source.writeTo(filer);
    }

    /**
     * The trace reader, with the base directory of relative paths from {@value
     * TraceFiles#BASE_DIR_OPTION} when given (one error, without an element, when it names no
     * directory), and the source trees that find a benchmark's module otherwise.
     */
    private static TraceFiles traceFiles(ProcessingEnvironment env) {
        java.nio.file.Path baseDir = null;
        String option = env.getOptions().get(TraceFiles.BASE_DIR_OPTION);
        if (option != null && !option.isBlank()) {
            try {
                java.nio.file.Path dir =
                        java.nio.file.Path.of(option.strip()).toAbsolutePath().normalize();
                if (java.nio.file.Files.isDirectory(dir)) {
                    baseDir = dir;
                } else {
                    env.getMessager()
                            .printMessage(
                                    Diagnostic.Kind.ERROR,
                                    "-A" + TraceFiles.BASE_DIR_OPTION + "=" + option + " is not a directory: set it to"
                                            + " the benchmark module's base directory (in Maven, <arg>-A"
                                            + TraceFiles.BASE_DIR_OPTION + "=${project.basedir}</arg> of the"
                                            + " compiler's compilerArgs), or remove it");
                }
            } catch (java.nio.file.InvalidPathException e) {
                env.getMessager()
                        .printMessage(
                                Diagnostic.Kind.ERROR,
                                "-A" + TraceFiles.BASE_DIR_OPTION + "=" + option + " is not a path: " + e.getMessage());
            }
        }
        com.sun.source.util.Trees trees;
        try {
            trees = com.sun.source.util.Trees.instance(env);
        } catch (IllegalArgumentException | LinkageError e) {
            trees = null; // not javac, or behind a wrapper: relative paths resolve as javac's are
        }
        return new TraceFiles(env.getFiler(), baseDir, trees);
    }

    /**
     * {@value TraceFiles#BASE_DIR_OPTION}: the benchmark module's base directory, against which a
     * relative {@code @TraceReplay(path)} is read at compile time (docs/load.md).
     */
    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(TraceFiles.BASE_DIR_OPTION);
    }

    /**
     * Every annotation type, so that javac runs the processor on every compilation: mistakes that
     * javac hands to no processor (annotations in local and anonymous classes, subclasses that
     * override a benchmark without its annotation) must be found even where nothing else carries a
     * harness annotation. {@link #process} claims only rounds of harness and {@code java.lang}
     * annotations, so other processors still see theirs.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    private static List<String> harnessAnnotations() {
        List<String> types = new ArrayList<>();
        types.add(Names.BENCHMARK);
        types.add(Names.PARAM);
        types.addAll(Names.CONFIGURATION);
        return types;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<Element> badCosts = Set.of();
        try {
            inherited.check(round);
            if (unreachable != null) {
                unreachable.check(round);
            }
            badCosts = costs.check(round);
        } catch (Exception | Error e) {
            processingEnv
                    .getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "the LLM Harness processor failed while checking inherited and local benchmarks;"
                                    + " please report this with the trace below. " + trace(e));
        }
        for (TypeElement type : classesOf(round)) {
            if (badCosts.contains(type)) {
                continue; // a class with errors generates nothing
            }
            try {
                Optional<SuiteModel> model = reader.read(type);
                if (model.isPresent() && suiteNames.claim(model.get(), type)) {
                    destination.accept(model.get(), writer.write(model.get(), type), type);
                    suites.add(model.get().suiteQualifiedName());
                }
            } catch (FilerException e) {
                // A name the checks above could not see taken (another processor's file, say).
                reporter.error(
                        type,
                        "cannot create " + type.getQualifiedName() + "'s suite: " + e.getMessage()
                                + "; another class or generated file already has its name: rename the class, or"
                                + " rebuild cleanly if the file is left over from an earlier build");
            } catch (Exception | Error e) {
                reportCrash(type, e);
            }
        }
        if (round.processingOver() && destinationOverride == null) {
            try {
                boolean failing = reporter.errorCount() > 0 || round.errorRaised();
                ServiceFile.write(processingEnv.getFiler(), processingEnv.getElementUtils(), suites, failing);
            } catch (IOException | RuntimeException e) {
                processingEnv
                        .getMessager()
                        .printMessage(
                                Diagnostic.Kind.ERROR,
                                "could not write " + Names.SERVICE_FILE + ": " + e
                                        + "; the generated suites will not be found at run time");
            }
        }
        // Claim the round's annotations when they are ours (and java.lang's, which no processor
        // wants): -Xlint:processing then stays quiet. A round that also carries another library's
        // annotations is claimed by no one here, so that its processors still see them.
        List<String> ours = harnessAnnotations();
        ours.add(Names.COST);
        ours.add(Names.FORK);
        return annotations.stream()
                .map(a -> a.getQualifiedName().toString())
                .allMatch(name -> ours.contains(name) || name.startsWith("java.lang."));
    }

    /**
     * Every class the round's annotations touch, each once, in name order: classes declaring
     * {@code @Benchmark} methods or {@code @Param} fields, and classes carrying configuration
     * annotations (which are errors without benchmark methods). A {@code @Benchmark} method outside
     * a class is reported here.
     */
    private List<TypeElement> classesOf(RoundEnvironment round) {
        Set<TypeElement> classes = new LinkedHashSet<>();
        for (String name : harnessAnnotations()) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(name);
            if (annotation == null) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                Element owner = element.getKind().isClass() || element.getKind().isInterface()
                        ? element
                        : element.getEnclosingElement();
                if (owner.getKind() == ElementKind.CLASS) {
                    classes.add((TypeElement) owner);
                } else if (name.equals(Names.BENCHMARK)) {
                    reporter.error(
                            element,
                            "@Benchmark method " + element.getSimpleName() + " is declared in the "
                                    + owner.getKind()
                                            .toString()
                                            .toLowerCase(Locale.ROOT)
                                            .replace('_', ' ')
                                    + " " + owner.getSimpleName() + "; benchmarks are methods of a public class:"
                                    + " move it into one");
                } else if (owner.getKind().isClass() || owner.getKind().isInterface()) {
                    AnnotationSite site = AnnotationSite.find(element, name);
                    reporter.error(
                            site,
                            site.simpleName() + " on " + element.getSimpleName() + " has no effect: benchmarks"
                                    + " are methods of a public class, and " + owner.getSimpleName() + " is not"
                                    + " a class; move the benchmark into one");
                }
            }
        }
        List<TypeElement> sorted = new ArrayList<>(classes);
        sorted.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        return sorted;
    }

    private static String trace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private void reportCrash(TypeElement type, Throwable e) {
        processingEnv
                .getMessager()
                .printMessage(
                        Diagnostic.Kind.ERROR,
                        "the LLM Harness processor failed on " + type.getQualifiedName()
                                + "; please report this with the trace below. " + trace(e),
                        type);
    }
}
