package dev.llmharness.processor;

import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Benchmarks are not inherited: a suite runs the {@code @Benchmark} methods its class declares. A
 * subclass that overrides a {@code @Benchmark} method without the annotation looks benchmarked but
 * is not; each such method of the round's classes is reported as an error.
 */
final class InheritedBenchmarks {
    private final Elements elements;
    private final Types types;
    private final Reporter reporter;

    InheritedBenchmarks(Elements elements, Types types, Reporter reporter) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
    }

    void check(RoundEnvironment round) {
        for (Element root : round.getRootElements()) {
            visit(root);
        }
    }

    private void visit(Element element) {
        if (element.getKind() == ElementKind.CLASS) {
            checkClass((TypeElement) element);
        }
        for (TypeElement nested : ElementFilter.typesIn(element.getEnclosedElements())) {
            visit(nested);
        }
    }

    private void checkClass(TypeElement type) {
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (AnnotationSite.find(method, Names.BENCHMARK) != null) {
                continue;
            }
            ExecutableElement overridden = overriddenBenchmark(type, method);
            if (overridden != null) {
                TypeElement base = (TypeElement) overridden.getEnclosingElement();
                reporter.error(
                        method,
                        method.getSimpleName() + " overrides the @Benchmark method " + base.getQualifiedName() + "."
                                + overridden.getSimpleName() + " without @Benchmark; benchmarks are not inherited,"
                                + " so " + type.getSimpleName() + "." + method.getSimpleName() + " never runs as one:"
                                + " annotate it @Benchmark with its load annotation (annotations are not inherited"
                                + " either), or remove the override");
            }
        }
    }

    /** The {@code @Benchmark} method of a superclass that {@code method} overrides, or {@code null}. */
    private ExecutableElement overriddenBenchmark(TypeElement type, ExecutableElement method) {
        TypeMirror superclass = type.getSuperclass();
        while (superclass.getKind() == TypeKind.DECLARED) {
            TypeElement base = (TypeElement) types.asElement(superclass);
            for (ExecutableElement candidate : ElementFilter.methodsIn(base.getEnclosedElements())) {
                if (AnnotationSite.find(candidate, Names.BENCHMARK) != null
                        && elements.overrides(method, candidate, type)) {
                    return candidate;
                }
            }
            superclass = base.getSuperclass();
        }
        return null;
    }
}
