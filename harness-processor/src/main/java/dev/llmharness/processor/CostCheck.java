package dev.llmharness.processor;

import dev.llmharness.api.Limits;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Checks the class-level values the runtime reads from the class itself, at compile time, each
 * error on the value at fault. {@code @Cost}: a price that is not a finite number above 0 (in any
 * currency, so no ceiling), GPU counts outside 1 to {@link Limits#MAX_GPUS} and replicas outside 1
 * to {@link Limits#MAX_REPLICAS}, a utilisation outside (0, 1]; the runtime reads the annotation as
 * declared ({@code CostModel}) and refuses the same values. {@code @Fork}: fewer than one run a
 * side or more than {@link Limits#MAX_FORKS}, which {@code llmh gate} would refuse only when it
 * starts.
 */
final class CostCheck {
    private final Elements elements;
    private final Reporter reporter;

    CostCheck(Elements elements, Reporter reporter) {
        this.elements = elements;
        this.reporter = reporter;
    }

    /** Reports every bad value of the round; returns the classes with one, which generate nothing. */
    java.util.Set<Element> check(RoundEnvironment round) {
        java.util.Set<Element> failing = new java.util.HashSet<>();
        TypeElement fork = elements.getTypeElement(Names.FORK);
        if (fork != null) {
            for (Element element : round.getElementsAnnotatedWith(fork)) {
                AnnotationSite site = AnnotationSite.find(element, Names.FORK);
                AnnotationValue runs = site == null ? null : site.explicit("value");
                int n = runs == null ? 1 : ((Number) runs.getValue()).intValue();
                String outside = Limits.outsideForks("@Fork", n);
                if (outside != null) {
                    reporter.error(
                            site,
                            runs,
                            outside
                                    + (n < 1
                                            ? "; e.g. @Fork(3), or remove it for one run"
                                            : ": each run repeats every selected trial on both sides; e.g."
                                                    + " @Fork(5)"));
                    failing.add(element);
                }
            }
        }
        TypeElement cost = elements.getTypeElement(Names.COST);
        if (cost == null) {
            return failing;
        }
        for (Element element : round.getElementsAnnotatedWith(cost)) {
            AnnotationSite site = AnnotationSite.find(element, Names.COST);
            if (site == null) {
                continue;
            }
            int before = reporter.errorCount();
            AnnotationValue price = site.explicit("instancePricePerHour");
            if (price != null) {
                double v = ((Number) price.getValue()).doubleValue();
                if (!(v > 0) || Double.isInfinite(v)) {
                    reporter.error(
                            site,
                            price,
                            "@Cost(instancePricePerHour) must be a finite price > 0 per hour, got " + v
                                    + "; e.g. instancePricePerHour = 98.32");
                }
            }
            count(site, "gpusPerInstance", "the GPUs one instance has", Limits.MAX_GPUS);
            count(site, "gpusUsed", "the GPUs one replica uses", Limits.MAX_GPUS);
            count(site, "replicas", "the replicas serving the load", Limits.MAX_REPLICAS);
            AnnotationValue utilization = site.explicit("utilization");
            if (utilization != null) {
                double v = ((Number) utilization.getValue()).doubleValue();
                if (!(v > 0 && v <= 1)) {
                    reporter.error(
                            site,
                            utilization,
                            "@Cost(utilization) is the share of each used GPU charged, in (0, 1], got " + v
                                    + "; e.g. utilization = 0.6 for vLLM's --gpu-memory-utilization 0.6");
                }
            }
            if (reporter.errorCount() > before) {
                failing.add(element);
            }
        }
        return failing;
    }

    /** A count of {@code @Cost}: from 1 to {@code max}, as the runtime's cost model holds it. */
    private void count(AnnotationSite site, String attribute, String counts, int max) {
        AnnotationValue value = site.explicit(attribute);
        if (value == null) {
            return;
        }
        String outside = Limits.outsideCostCount(
                "@Cost(" + attribute + ")", counts, ((Number) value.getValue()).intValue(), max);
        if (outside != null) {
            reporter.error(site, value, outside);
        }
    }
}
