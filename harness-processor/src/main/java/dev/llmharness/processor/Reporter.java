package dev.llmharness.processor;

import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports compile errors through the {@link Messager}, attached to the element, annotation and
 * attribute value at fault, so that the IDE and javac point at the exact token to fix.
 *
 * <p>The same error on the same spot is reported once: a class-level annotation is merged into
 * every benchmark method, and a problem with it would otherwise repeat per method.
 */
final class Reporter {
    private final Messager messager;
    private final Set<Spot> reported = new HashSet<>();
    private int errors;

    Reporter(Messager messager) {
        this.messager = messager;
    }

    void error(Element element, String message) {
        error(element, null, null, message);
    }

    void error(AnnotationSite site, String message) {
        error(site.element(), site.mirror(), null, message);
    }

    void error(AnnotationSite site, AnnotationValue value, String message) {
        error(site.element(), site.mirror(), value, message);
    }

    void error(Element element, AnnotationMirror mirror, AnnotationValue value, String message) {
        if (!reported.add(new Spot(element, mirror, value, message))) {
            return;
        }
        errors++;
        if (value != null) {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror, value);
        } else if (mirror != null) {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element);
        }
    }

    /**
     * A warning on the annotation value at fault: something that compiles and runs, but measures
     * less than the author likely meant. Reported once per spot, like errors; not counted.
     */
    void warning(AnnotationSite site, AnnotationValue value, String message) {
        if (!reported.add(new Spot(site.element(), site.mirror(), value, message))) {
            return;
        }
        if (value != null) {
            messager.printMessage(Diagnostic.Kind.WARNING, message, site.element(), site.mirror(), value);
        } else {
            messager.printMessage(Diagnostic.Kind.WARNING, message, site.element(), site.mirror());
        }
    }

    /**
     * A note on the annotation value it is about: not a fault, but something the author should
     * know (a check left to the run). Reported once per spot; not counted.
     */
    void note(AnnotationSite site, AnnotationValue value, String message) {
        if (!reported.add(new Spot(site.element(), site.mirror(), value, message))) {
            return;
        }
        if (value != null) {
            messager.printMessage(Diagnostic.Kind.NOTE, message, site.element(), site.mirror(), value);
        } else {
            messager.printMessage(Diagnostic.Kind.NOTE, message, site.element(), site.mirror());
        }
    }

    /** Where an error was reported and what it said; javac's elements and mirrors compare by identity. */
    private record Spot(Element element, AnnotationMirror mirror, AnnotationValue value, String message) {}

    /**
     * An error on a source tree, for annotations that have no element yet (in local and anonymous
     * classes, whose elements exist only after processing).
     */
    void error(
            com.sun.source.util.Trees trees,
            com.sun.source.tree.Tree tree,
            com.sun.source.tree.CompilationUnitTree unit,
            String message) {
        errors++;
        trees.printMessage(Diagnostic.Kind.ERROR, message, tree, unit);
    }

    /** Errors reported so far; compare before and after reading a class to know if it is valid. */
    int errorCount() {
        return errors;
    }
}
