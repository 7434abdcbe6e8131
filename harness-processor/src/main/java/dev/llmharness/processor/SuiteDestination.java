package dev.llmharness.processor;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import javax.lang.model.element.TypeElement;

/**
 * Where generated suites go: the {@link javax.annotation.processing.Filer} under javac, or memory
 * in a test that only wants the models. The processor does not care which.
 */
interface SuiteDestination {
    /**
     * Accepts one suite.
     *
     * @param model the validated model
     * @param source its generated source
     * @param origin the benchmark class it was generated from
     */
    void accept(SuiteModel model, JavaFile source, TypeElement origin) throws IOException;
}
