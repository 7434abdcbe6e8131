package dev.llmharness.processor;

import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Makes sure that no two benchmark classes, and no benchmark class and an existing class, share a
 * suite name. Suite names join the simple names of nested classes with {@code _}, so {@code
 * Outer.Inner} and a top-level {@code Outer_Inner} would both get {@code Outer_Inner_BenchmarkSuite},
 * and a user class may already be called {@code Chat_BenchmarkSuite}; writing the file then fails
 * deep in the {@link javax.annotation.processing.Filer}. A collision is reported as an ordinary
 * error on the benchmark class instead, naming the other class and the fix.
 */
final class SuiteNames {
    /** The field every generated suite declares with the canonical name of its benchmark class. */
    static final String BENCHMARK_CLASS_FIELD = "BENCHMARK_CLASS";

    private final Elements elements;
    private final Reporter reporter;
    /** Suite name to the benchmark class that claimed it in this compilation. */
    private final Map<String, String> claimed = new HashMap<>();

    SuiteNames(Elements elements, Reporter reporter) {
        this.elements = elements;
        this.reporter = reporter;
    }

    /**
     * Claims the suite name of {@code model}; reports an error on {@code type} and returns {@code
     * false} when another benchmark class of this compilation, or another class on the source or
     * class path, already has it.
     */
    boolean claim(SuiteModel model, TypeElement type) {
        String suite = model.suiteQualifiedName();
        String benchmark = model.benchmarkClass();
        String other = claimed.putIfAbsent(suite, benchmark);
        if (other != null && !other.equals(benchmark)) {
            reporter.error(
                    type,
                    "the suite generated for " + benchmark + " would be named " + suite + ", like the suite of " + other
                            + " (nested class names are joined with _): rename one of the two classes");
            return false;
        }
        TypeElement existing = elements.getTypeElement(suite);
        if (existing != null && !benchmark.equals(generatedFor(existing))) {
            String generatedFor = generatedFor(existing);
            reporter.error(
                    type,
                    "the suite generated for " + benchmark + " would be named " + suite + ", but "
                            + (generatedFor == null
                                    ? "a class of that name exists: rename that class (names ending in "
                                            + Names.SUITE_SUFFIX + " are taken by generated suites) or rename "
                                            + type.getSimpleName()
                                    : "the suite of " + generatedFor + " has that name (nested class names are"
                                            + " joined with _): rename one of the two classes, or rebuild cleanly if "
                                            + generatedFor + " no longer exists"));
            claimed.remove(suite, benchmark);
            return false;
        }
        return true;
    }

    /** The benchmark class a generated suite was generated for, or {@code null} for any other class. */
    static String generatedFor(TypeElement type) {
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (field.getSimpleName().contentEquals(BENCHMARK_CLASS_FIELD)
                    && field.getConstantValue() instanceof String name) {
                return name;
            }
        }
        return null;
    }
}
