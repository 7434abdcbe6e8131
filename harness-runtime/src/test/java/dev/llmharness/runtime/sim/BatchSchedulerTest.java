package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batching model on a virtual clock: exact, fast and deterministic. */
class BatchSchedulerTest {
    private static final long MS = 1_000_000L;

    /** 10 ms base, 1 ms per decoding sequence, 0.1 ms per prefill token, 8 slots, no chunking. */
    private static SimConfig.Builder simple() {
        return SimConfig.builder()
                .timing(SimConfig.Timing.BATCHED)
                .stepBase(Duration.ofMillis(10))
                .decodePerSequence(Duration.ofMillis(1))
                .decodePerKvToken(Duration.ZERO)
                .prefillPerToken(Duration.ofNanos(100_000))
                .maxNumSeqs(8)
                .kvCacheTokens(1 << 20)
                .maxBatchedTokens(0);
    }

    /** One simulated request: arrival time and the times its tokens came out. */
    static final class Req implements TokenListener {
        final long arrival;
        final Sequence sequence;
        final List<Long> tokens = new ArrayList<>();
        long now;

        Req(long arrival, int prompt, int output) {
            this.arrival = arrival;
            this.sequence = new Sequence(prompt, output, this);
        }

        @Override
        public EventExecutor executor() {
            throw new UnsupportedOperationException("virtual clock");
        }

        @Override
        public void onTokens(int produced, boolean last) {
            throw new UnsupportedOperationException("virtual clock");
        }

        long ttft() {
            return tokens.get(0) - arrival;
        }
    }

    /** Runs the engine loop on a virtual clock, as {@link BatchingEngine} does in real time. */
    static final class VirtualRun {
        final BatchScheduler scheduler;
        long clock;
        int maxRunning;
        long tokens;

        VirtualRun(SimConfig config) {
            scheduler = new BatchScheduler(config);
        }

        /** Runs until every request (sorted by arrival) is done. */
        void run(List<Req> requests) {
            int next = 0;
            while (next < requests.size() || !scheduler.idle()) {
                while (next < requests.size() && requests.get(next).arrival <= clock) {
                    scheduler.add(requests.get(next++).sequence);
                }
                long duration = scheduler.planStep();
                if (duration < 0) {
                    clock = requests.get(next).arrival;
                    continue;
                }
                maxRunning = Math.max(maxRunning, scheduler.running());
                clock += duration;
                long at = clock;
                scheduler.finishStep((s, produced, last) -> {
                    ((Req) s.listener).tokens.add(at);
                    tokens++;
                });
            }
        }
    }

    @Test
    void anIdleRequestGetsItsFirstTokenAfterOneStepWithItsPrefill() {
        VirtualRun run = new VirtualRun(simple().build());
        Req r = new Req(0, 200, 3);
        run.run(List.of(r));
        assertThat(r.ttft()).isEqualTo(10 * MS + 200 * 100_000L);
        // then one decode step of one sequence per token: base + 1 ms
        assertThat(r.tokens).containsExactly(30 * MS, 41 * MS, 52 * MS);
    }

    @Test
    void decodeStepsGrowWithTheBatchAndEverySequenceGetsOneTokenPerStep() {
        VirtualRun run = new VirtualRun(simple().build());
        List<Req> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(new Req(0, 10, 5));
        }
        run.run(batch);
        // prefill step: 10 ms + 40 x 0.1 ms = 14 ms, then decode steps of 10 + 4 x 1 = 14 ms
        for (Req r : batch) {
            assertThat(r.tokens).containsExactly(14 * MS, 28 * MS, 42 * MS, 56 * MS, 70 * MS);
        }
    }

    @Test
    void itlScaleStretchesDecodeButNotPrefillTokens() {
        VirtualRun run = new VirtualRun(simple().itlScale(1.5).build());
        Req r = new Req(0, 100, 2);
        run.run(List.of(r));
        assertThat(r.ttft()).isEqualTo(15 * MS + 10 * MS);
        assertThat(r.tokens.get(1) - r.tokens.get(0)).isEqualTo((long) (11 * MS * 1.5));
    }

    @Test
    void underOverloadTtftRisesWhileOutputThroughputPlateausAtTheCeiling() {
        SimConfig config = simple().prefillPerToken(Duration.ZERO).build();
        double ceiling = config.outputTokensPerSecondCeiling(0); // 8 / 18 ms = 444 tokens/s
        double[] rates = {10, 40, 80, 160}; // requests/s, 10 tokens each: 100 to 1,600 tokens/s offered
        double[] throughput = new double[rates.length];
        double[] meanTtft = new double[rates.length];
        for (int k = 0; k < rates.length; k++) {
            List<Req> reqs = new ArrayList<>();
            long gap = (long) (1e9 / rates[k]);
            for (int i = 0; i < 400; i++) {
                reqs.add(new Req(i * gap, 1, 10));
            }
            VirtualRun run = new VirtualRun(config);
            run.run(reqs);
            throughput[k] = run.tokens / (run.clock / 1e9);
            meanTtft[k] = reqs.stream().mapToLong(Req::ttft).average().orElseThrow();
        }
        assertThat(throughput[0]).isCloseTo(100, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(throughput[2]).isCloseTo(ceiling, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(throughput[3]).isCloseTo(ceiling, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(meanTtft[1]).isGreaterThan(meanTtft[0]);
        assertThat(meanTtft[2]).isGreaterThan(10 * meanTtft[1]);
        assertThat(meanTtft[3]).isGreaterThan(meanTtft[2]);
    }

    @Test
    void kvCacheCapacityLimitsConcurrencyBelowTheBatchSlots() {
        // each request reserves 100 + 28 = 128 tokens; 512 tokens hold 4 of them
        VirtualRun run = new VirtualRun(simple().maxNumSeqs(64)
                .maxModelLen(512)
                .kvCacheTokens(512)
                .defaultMaxTokens(8)
                .build());
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reqs.add(new Req(0, 100, 28));
        }
        run.run(reqs);
        assertThat(run.maxRunning).isEqualTo(4);
        assertThat(run.scheduler.kvReserved()).isZero();
        // FCFS: the fifth request starts only when one of the first four ends
        assertThat(reqs.get(4).tokens.get(0)).isGreaterThan(reqs.get(0).tokens.get(27));
    }

    @Test
    void batchSlotsLimitConcurrency() {
        VirtualRun run = new VirtualRun(simple().build());
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reqs.add(new Req(0, 5, 5));
        }
        run.run(reqs);
        assertThat(run.maxRunning).isEqualTo(8);
        assertThat(run.tokens).isEqualTo(150);
    }

    @Test
    void chunkedPrefillSpreadsALongPromptOverStepsWithinTheTokenBudget() {
        VirtualRun run = new VirtualRun(simple().maxBatchedTokens(512).build());
        Req r = new Req(0, 1200, 1);
        run.run(List.of(r));
        // three steps: 512 + 512 + 176 prompt tokens, each with the 10 ms base
        assertThat(r.ttft()).isEqualTo(30 * MS + 1200 * 100_000L);
    }

    @Test
    void cancellingARunningSequenceFreesItsKvReservation() {
        BatchScheduler s = new BatchScheduler(simple().build());
        Req a = new Req(0, 10, 100);
        s.add(a.sequence);
        s.planStep();
        s.finishStep((q, p, l) -> {});
        assertThat(s.kvReserved()).isEqualTo(110);
        s.cancel(a.sequence);
        assertThat(s.planStep()).isEqualTo(-1);
        assertThat(s.kvReserved()).isZero();
        assertThat(s.idle()).isTrue();
    }

    @Test
    void stepsMustAlternatePlanAndFinish() {
        BatchScheduler s = new BatchScheduler(simple().build());
        s.add(new Req(0, 1, 2).sequence);
        s.planStep();
        assertThatThrownBy(s::planStep).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void defaultPresetLooksLikeAMidSizeModelOnOneGpu() {
        SimConfig config = SimConfig.defaults();
        VirtualRun run = new VirtualRun(config);
        Req r = new Req(0, 256, 2);
        run.run(List.of(r));
        assertThat(r.ttft()).isBetween(10 * MS, 60 * MS);
        assertThat(r.tokens.get(1) - r.tokens.get(0)).isBetween(15 * MS, 30 * MS);
        assertThat(config.outputTokensPerSecondCeiling(400)).isBetween(2_000.0, 8_000.0);
    }
}
