package dev.llmharness.processor;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.Limits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The values of an annotation's attributes, as written or defaulted; a duration that does not
 * parse, or is longer than {@link Limits#MAX_DURATION}, is reported on its attribute.
 */
final class Attributes {
    private final Elements elements;
    private final Reporter reporter;

    Attributes(Elements elements, Reporter reporter) {
        this.elements = elements;
        this.reporter = reporter;
    }

    /**
     * The attribute's value, the default when not written.
     *
     * @throws IllegalStateException when the annotation has no such attribute: a reader asking for
     *     an attribute its annotation lacks is a bug of the processor
     */
    Object value(AnnotationSite site, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                elements.getElementValuesWithDefaults(site.mirror()).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue().getValue();
            }
        }
        throw new IllegalStateException(site.simpleName() + " has no attribute " + attribute);
    }

    double number(AnnotationSite site, String attribute) {
        return ((Number) value(site, attribute)).doubleValue();
    }

    int integer(AnnotationSite site, String attribute) {
        return (Integer) value(site, attribute);
    }

    String text(AnnotationSite site, String attribute) {
        return (String) value(site, attribute);
    }

    @SuppressWarnings("unchecked")
    List<AnnotationValue> list(AnnotationSite site, String attribute) {
        return (List<AnnotationValue>) value(site, attribute);
    }

    String enumName(AnnotationSite site, String attribute) {
        return ((VariableElement) value(site, attribute)).getSimpleName().toString();
    }

    /** The annotations of an attribute holding annotations ({@code @Stages(value)}), each a site of its own. */
    List<AnnotationSite> nested(AnnotationSite site, String attribute, String simpleName) {
        return list(site, attribute).stream()
                .map(v -> new AnnotationSite(
                        site.element(), (javax.lang.model.element.AnnotationMirror) v.getValue(), simpleName))
                .toList();
    }

    /** Parses a duration attribute, reporting a parse error on it; {@code null} when invalid. */
    Duration duration(AnnotationSite site, String attribute) {
        String text = text(site, attribute);
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            reporter.error(site, site.explicit(attribute), site.attr(attribute) + ": " + e.getMessage());
            return null;
        }
        String tooLong = Limits.aboveMaxDuration(site.attr(attribute), d);
        if (tooLong != null) {
            reporter.error(
                    site,
                    site.explicit(attribute),
                    tooLong + ": check the unit (m is minutes, h hours), or split the trial into shorter ones");
            return null;
        }
        return d;
    }

    /**
     * A duration attribute that must be longer than 0s; {@code null} when it does not parse or is
     * 0 (reported on the attribute with {@code why} and an example, e.g. {@code "30s"}).
     *
     * @param why what the duration is for, e.g. {@code "the peak holds its rate that long"}
     */
    Duration positiveDuration(AnnotationSite site, String attribute, String why, String example) {
        Duration d = duration(site, attribute);
        if (d != null && d.isZero()) {
            reporter.error(
                    site,
                    site.explicit(attribute),
                    site.attr(attribute) + " must be longer than 0s, got \"" + text(site, attribute) + "\": " + why
                            + ", e.g. " + attribute + " = \"" + example + "\"");
            return null;
        }
        return d;
    }
}
