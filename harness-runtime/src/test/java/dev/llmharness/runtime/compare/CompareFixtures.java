package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.SyntheticResults.Spec;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed result files under {@code src/test/resources/compare}: written by this class from
 * seeded synthetic runs when {@code -Dllmh.updateGolden=true}, read as they are otherwise.
 */
final class CompareFixtures {
    static final Path DIR = Path.of("src/test/resources/compare");
    static final Path BASE = DIR.resolve("base.json");
    static final Path CONTENDER = DIR.resolve("contender.json");
    static final Path CORRUPT = DIR.resolve("corrupt.json");
    static final Path OTHER_SCHEMA = DIR.resolve("schema-v99.json");
    static final Path BAD_HISTOGRAM = DIR.resolve("bad-histogram.json");

    static final String CHAT = "Chat.chat[rate=40]";
    static final String REPLAY = "Chat.replay[concurrency=16]";
    static final String LEGACY = "Chat.legacy[rate=1]";

    private CompareFixtures() {}

    static boolean updating() {
        return Boolean.getBoolean("llmh.updateGolden");
    }

    /** Rewrites the fixture files when updating goldens; otherwise leaves them as committed. */
    static synchronized void ensure() throws IOException {
        if (!updating() && Files.exists(BAD_HISTOGRAM)) {
            return;
        }
        Files.createDirectories(DIR);
        RunResult base = withLoads(SyntheticResults.run(
                1,
                Spec.of(CHAT).rate(40, 30),
                Spec.of(REPLAY).rate(10, 20),
                Spec.of(LEGACY).rate(1, 10)));
        RunResult c = withLoads(SyntheticResults.run(
                2,
                Spec.of(CHAT).rate(40, 30).itlScaled(1.25).ttftScaled(0.8),
                Spec.of(REPLAY).rate(10, 20)));
        RunInfo r = c.run();
        RunResult contender = new RunResult(
                c.schemaVersion(),
                r.toBuilder()
                        .gitCommit("fedcba9876543210fedcba9876543210fedcba98")
                        .gitDirty(false)
                        .jvm("Eclipse Adoptium 21.0.5")
                        .build(),
                c.target(),
                c.trials(),
                false);
        ResultJson.write(base, BASE);
        ResultJson.write(contender, CONTENDER);
        String text = Files.readString(BASE);
        Files.writeString(CORRUPT, text.substring(0, text.length() / 3));
        Files.writeString(OTHER_SCHEMA, text.replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 99"));
        String itl = base.trials().get(0).metrics().get("itl").histogram();
        Files.writeString(BAD_HISTOGRAM, text.replace(itl, "HISTFAAAAnotAHistogram"));
    }

    /**
     * The run with each trial's load as its id says, as {@code llmh run} records it: the chat and
     * legacy trials open loops at their rates, the replay a closed loop of 16 workers, which gates
     * its throughput too (the synthetic requests are drawn alike; only what the gate reads of the
     * load differs).
     */
    private static RunResult withLoads(RunResult run) {
        List<TrialResult> trials = new ArrayList<>();
        for (TrialResult t : run.trials()) {
            TrialResult.LoadInfo load = switch (t.id()) {
                case CHAT -> open(40);
                case REPLAY ->
                    new TrialResult.LoadInfo("closed", null, null, null, 16, 0.0, null, null, "closed 16 workers");
                case LEGACY -> open(1);
                default -> throw new IllegalArgumentException("no load for " + t.id());
            };
            trials.add(SyntheticResults.edit(t).load(load).build());
        }
        return new RunResult(run.schemaVersion(), run.run(), run.target(), trials, run.partial());
    }

    private static TrialResult.LoadInfo open(double rate) {
        return new TrialResult.LoadInfo(
                "open", "POISSON", rate, 0, null, null, null, 1.0, "open POISSON " + Math.round(rate) + " req/s");
    }

    static List<Path> all() {
        return List.of(BASE, CONTENDER, CORRUPT, OTHER_SCHEMA, BAD_HISTOGRAM);
    }
}
