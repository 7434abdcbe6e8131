package dev.llmharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The suites the annotation processor generated for the examples, as the runtime finds them. */
class ExampleSuitesTest {
    private static final String PKG = "dev.llmharness.benchmarks.";

    static Map<String, BenchmarkSuite> discovered() {
        Map<String, BenchmarkSuite> suites = new LinkedHashMap<>();
        ServiceLoader.load(BenchmarkSuite.class).forEach(s -> suites.put(s.benchmarkClass(), s));
        return suites;
    }

    static List<TrialSpec> allTrials() {
        List<TrialSpec> trials = new ArrayList<>();
        discovered().values().forEach(s -> trials.addAll(s.trials()));
        return trials;
    }

    private static List<String> ids(String simpleName) {
        return discovered().get(PKG + simpleName).trials().stream()
                .map(TrialSpec::id)
                .toList();
    }

    @Test
    void everyExampleClassHasAGeneratedSuiteFoundThroughTheServiceLoader() {
        assertThat(discovered())
                .containsOnlyKeys(
                        PKG + "ChatBenchmarks",
                        PKG + "OpenLoopBenchmarks",
                        PKG + "ClosedLoopBenchmarks",
                        PKG + "TokenShapeBenchmarks",
                        PKG + "DatasetBenchmarks",
                        PKG + "CompletionsBenchmarks",
                        PKG + "SloBenchmarks",
                        PKG + "ParamBenchmarks",
                        PKG + "EngineBenchmarks",
                        PKG + "LoadShapeBenchmarks");
        assertThat(allTrials()).hasSize(60);
    }

    @Test
    void openLoopExamplesEnumerateOneTrialPerRate() {
        assertThat(ids("OpenLoopBenchmarks"))
                .containsExactly(
                        PKG + "OpenLoopBenchmarks.poisson{rate=10}",
                        PKG + "OpenLoopBenchmarks.poisson{rate=40}",
                        PKG + "OpenLoopBenchmarks.constant{rate=10}",
                        PKG + "OpenLoopBenchmarks.poissonCapped{rate=20}",
                        PKG + "OpenLoopBenchmarks.constantCapped{rate=20}");
    }

    @Test
    void closedLoopExamplesEnumerateOneTrialPerWorkerCount() {
        assertThat(ids("ClosedLoopBenchmarks"))
                .containsExactly(
                        PKG + "ClosedLoopBenchmarks.workers{concurrency=1}",
                        PKG + "ClosedLoopBenchmarks.workers{concurrency=8}",
                        PKG + "ClosedLoopBenchmarks.thinkTime{concurrency=8}");
    }

    @Test
    void tokenShapeExamplesCoverEveryPresetAndNameSeveralInputsAsAParameter() {
        assertThat(ids("TokenShapeBenchmarks"))
                .containsExactly(
                        PKG + "TokenShapeBenchmarks.chat{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.rag{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.code{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.summarize{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.shortShort{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.shortLong{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.longShort{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.longLong{concurrency=4}",
                        PKG + "TokenShapeBenchmarks.promptLength{concurrency=4, input=128}",
                        PKG + "TokenShapeBenchmarks.promptLength{concurrency=4, input=1024}",
                        PKG + "TokenShapeBenchmarks.mixedLengths{rate=5}",
                        PKG + "TokenShapeBenchmarks.normalLengths{rate=5}",
                        PKG + "TokenShapeBenchmarks.sharedPrefix{concurrency=4}");
    }

    @Test
    void datasetExamplesCoverEveryFormat() {
        assertThat(ids("DatasetBenchmarks"))
                .containsExactly(
                        PKG + "DatasetBenchmarks.sharegpt{rate=4}",
                        PKG + "DatasetBenchmarks.dolly{rate=25}",
                        PKG + "DatasetBenchmarks.billsumJsonl{rate=4}",
                        PKG + "DatasetBenchmarks.billsumCsv{rate=4}",
                        PKG + "DatasetBenchmarks.jsonl{rate=4}",
                        PKG + "DatasetBenchmarks.csv{rate=4}",
                        PKG + "DatasetBenchmarks.empiricalLengths{rate=4}");
    }

    @Test
    void enumAndDoubleParametersCrossInDeclarationOrder() {
        assertThat(ids("ParamBenchmarks"))
                .containsExactly(
                        PKG + "ParamBenchmarks.answer{concurrency=4, style=TERSE, temperature=0.0}",
                        PKG + "ParamBenchmarks.answer{concurrency=4, style=TERSE, temperature=0.7}",
                        PKG + "ParamBenchmarks.answer{concurrency=4, style=DETAILED, temperature=0.0}",
                        PKG + "ParamBenchmarks.answer{concurrency=4, style=DETAILED, temperature=0.7}");
    }

    @Test
    void theSloExampleCarriesItsObjectives() {
        TrialSpec trial = discovered().get(PKG + "SloBenchmarks").trials().get(0);
        assertThat(trial.slo().bounds())
                .containsExactly(
                        new LatencyBound(SloMetric.TTFT, 50, Duration.ofMillis(250)),
                        new LatencyBound(SloMetric.TTFT, 99, Duration.ofSeconds(1)),
                        new LatencyBound(SloMetric.ITL, 99, Duration.ofMillis(150)),
                        new LatencyBound(SloMetric.E2E, 99, Duration.ofSeconds(5)));
        assertThat(trial.slo().maxErrorRate()).hasValue(0.01);
    }

    @Test
    void theBenchProfilesDefaultSelectionIsTheFiveGateTrials() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<llmh\\.include>([^<]+)</llmh\\.include>").matcher(pom);
        assertThat(m.find()).as("bench profile sets llmh.include").isTrue();
        Pattern include = Pattern.compile(m.group(1));
        List<String> selected = allTrials().stream()
                .map(TrialSpec::id)
                .filter(id -> include.matcher(id).find())
                .sorted()
                .toList();
        assertThat(selected)
                .containsExactly(
                        PKG + "ClosedLoopBenchmarks.workers{concurrency=8}",
                        PKG + "CompletionsBenchmarks.complete{rate=10}",
                        PKG + "DatasetBenchmarks.dolly{rate=25}",
                        PKG + "OpenLoopBenchmarks.poisson{rate=40}",
                        PKG + "SloBenchmarks.chat{rate=12}");
    }
}
