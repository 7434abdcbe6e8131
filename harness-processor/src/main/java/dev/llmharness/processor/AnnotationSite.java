package dev.llmharness.processor;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * One annotation as written on one element: where errors about it are reported, and which of its
 * attributes the user set explicitly (as opposed to defaults).
 */
record AnnotationSite(Element element, AnnotationMirror mirror, String simpleName) {

    /** The annotation of the given type on {@code element}, or {@code null} when absent. */
    static AnnotationSite find(Element element, String annotationType) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(annotationType)) {
                return new AnnotationSite(element, mirror, "@" + type.getSimpleName());
            }
        }
        return null;
    }

    /**
     * The qualified name of an annotation on {@code element} with the simple name of {@code
     * annotationType} but another package (JMH's {@code @Benchmark}, say), or {@code null}.
     */
    static String lookalike(Element element, String annotationType) {
        String simple = annotationType.substring(annotationType.lastIndexOf('.') + 1);
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getSimpleName().contentEquals(simple)
                    && !type.getQualifiedName().contentEquals(annotationType)) {
                return type.getQualifiedName().toString();
            }
        }
        return null;
    }

    /** The value the user wrote for {@code attribute}, or {@code null} when it takes its default. */
    AnnotationValue explicit(String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean isExplicit(String attribute) {
        return explicit(attribute) != null;
    }

    /**
     * The element of an array attribute at {@code index} when written explicitly, so that an error
     * points at that one value; else the whole attribute (or {@code null} for a default).
     */
    AnnotationValue explicitElement(String attribute, int index) {
        AnnotationValue whole = explicit(attribute);
        if (whole != null && whole.getValue() instanceof List<?> items && index < items.size()) {
            return (AnnotationValue) items.get(index);
        }
        return whole;
    }

    /** The annotation's qualified name, e.g. {@code dev.llmharness.api.Soak}. */
    String qualifiedName() {
        return ((TypeElement) mirror.getAnnotationType().asElement())
                .getQualifiedName()
                .toString();
    }

    /** {@code @Name(attribute)}, the way messages name an attribute. */
    String attr(String attribute) {
        return simpleName + "(" + attribute + ")";
    }
}
