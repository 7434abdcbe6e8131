package dev.llmharness.processor;

import java.util.List;

/**
 * Everything the writer needs to generate the suite of one benchmark class: validated, merged and
 * expanded into trials. Built by {@link BenchmarkReader}, written by {@link SuiteWriter}; holds no
 * compiler state, so it can be inspected in tests.
 *
 * @param packageName the benchmark class's package, never empty
 * @param simpleNames the class's simple name, preceded by those of its enclosing classes
 * @param params the {@code @Param} fields in declaration order
 * @param methods the {@code @Benchmark} methods in declaration order, each with its trials
 */
record SuiteModel(
        String packageName, List<String> simpleNames, List<ParamModel> params, List<BenchmarkMethodModel> methods) {

    SuiteModel {
        simpleNames = List.copyOf(simpleNames);
        params = List.copyOf(params);
        methods = List.copyOf(methods);
    }

    /** Canonical name of the benchmark class, e.g. {@code com.example.Outer.Inner}. */
    String benchmarkClass() {
        return packageName + "." + String.join(".", simpleNames);
    }

    /** Simple name of the generated suite, e.g. {@code Outer_Inner_BenchmarkSuite}. */
    String suiteSimpleName() {
        return String.join("_", simpleNames) + Names.SUITE_SUFFIX;
    }

    /** Binary name of the generated suite, as the service file lists it. */
    String suiteQualifiedName() {
        return packageName + "." + suiteSimpleName();
    }
}
