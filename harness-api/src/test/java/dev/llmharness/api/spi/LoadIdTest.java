package dev.llmharness.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Arrival;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every kind of load names itself apart from every other in a trial id: one model of each load
 * annotation (every factory of every permitted {@link LoadModel} type), at the same size where
 * sizes compare, and no two annotations share an id. A new load model type fails {@link
 * #everyLoadModelTypeIsWalked} until its annotation is added here.
 */
class LoadIdTest {
    private static final Duration TEN = Duration.ofSeconds(10);

    /** One load of each annotation, by annotation; the same size (8) wherever a size is its id. */
    static Map<String, List<LoadModel>> byAnnotation() {
        Map<String, List<LoadModel>> m = new LinkedHashMap<>();
        m.put(
                "@OpenLoop",
                List.of(new OpenLoopModel(Arrival.POISSON, 8, 0), new OpenLoopModel(Arrival.CONSTANT, 8, 0)));
        // A ramp-up is how the same workers start: @ClosedLoop(concurrency = 8[, rampUp]) is one id.
        m.put(
                "@ClosedLoop",
                List.of(new ClosedLoopModel(8, Duration.ZERO), StagedClosedLoopModel.rampUp(8, TEN, Duration.ZERO)));
        m.put(
                "@WorkerStages",
                List.of(StagedClosedLoopModel.stages(1, List.of(new WorkerStage(TEN, 8)), Duration.ZERO)));
        m.put("@Ramp", List.of(ShapedLoadModel.ramp(Arrival.POISSON, 1, 0, 8, TEN, 0)));
        m.put("@Stages", List.of(ShapedLoadModel.stages(Arrival.POISSON, 1, 1, List.of(new RateStage(TEN, 8)), 0)));
        m.put("@Step", List.of(ShapedLoadModel.steps(Arrival.POISSON, 1, 4, 4, 2, TEN, Duration.ZERO, 0)));
        m.put(
                "@Spike",
                List.of(ShapedLoadModel.spike(
                        Arrival.POISSON, 1, 2, 8, TEN, Duration.ZERO, TEN, Duration.ZERO, TEN, 0)));
        m.put("@Soak", List.of(ShapedLoadModel.soak(Arrival.POISSON, 1, 8, TEN, 0)));
        m.put("@TraceReplay", List.of(new TraceLoadModel("traces/8.csv", 1, 0)));
        return m;
    }

    @Test
    void everyLoadModelTypeIsWalked() {
        Set<Class<?>> walked = byAnnotation().values().stream()
                .flatMap(List::stream)
                .<Class<?>>map(Object::getClass)
                .collect(Collectors.toSet());
        assertThat(walked).containsExactlyInAnyOrder(LoadModel.class.getPermittedSubclasses());
    }

    @Test
    void noTwoLoadAnnotationsShareAnIdAndEachAnnotationHasOneKindOfId() {
        Map<String, String> owner = new LinkedHashMap<>();
        for (Map.Entry<String, List<LoadModel>> e : byAnnotation().entrySet()) {
            Set<String> names = new HashSet<>();
            for (LoadModel model : e.getValue()) {
                LoadId id = model.id();
                names.add(id.name());
                String other = owner.putIfAbsent(id.toString(), e.getKey());
                assertThat(other)
                        .as("%s of %s is also the id of %s", id, e.getKey(), other)
                        .isIn(null, e.getKey());
            }
            assertThat(names).as(e.getKey()).hasSize(1);
        }
        assertThat(owner.keySet())
                .containsExactly(
                        "rate=8",
                        "concurrency=8",
                        "load=worker-stages",
                        "load=ramp",
                        "load=stages",
                        "load=step",
                        "load=spike",
                        "load=soak",
                        "trace=8.csv");
    }

    @Test
    void everyShapeHasANameOfItsOwnSoThatAResultsLoadNamesItsKind() {
        List<String> shapes = new ArrayList<>();
        for (List<LoadModel> models : byAnnotation().values()) {
            for (LoadModel model : models) {
                if (model instanceof ShapedLoadModel s) {
                    shapes.add(s.shape());
                } else if (model instanceof StagedClosedLoopModel workers) {
                    shapes.add(workers.shape());
                }
            }
        }
        assertThat(shapes).doesNotHaveDuplicates().contains("worker-ramp", "worker-stages", "ramp", "stages");
    }

    @Test
    void anIdIsOneOfTheLoadParametersWithAValue() {
        assertThat(new LoadId(LoadId.RATE, "8")).hasToString("rate=8");
        assertThatThrownBy(() -> new LoadId("workers", "8"))
                .hasMessageStartingWith("a load's parameter is one of ")
                .hasMessageEndingWith(", got workers");
        assertThatThrownBy(() -> new LoadId(LoadId.LOAD, " ")).hasMessage("a load's parameter load needs a value");
        assertThat(LoadId.NAMES).containsExactlyInAnyOrder("rate", "concurrency", "load", "trace");
        assertThat(Arrays.asList(LoadModel.class.getPermittedSubclasses())).hasSize(5);
    }
}
