package dev.llmharness.runtime.sim;

/**
 * {@link SimConfig.Timing#BATCHED}: runs {@link BatchScheduler} steps back to back in real time.
 * Step deadlines chain from the previous deadline, not from "now", so that time does not drift;
 * after a stall of the engine thread longer than {@link #MAX_LAG_NANOS} the chain restarts from
 * now instead of bursting to catch up.
 */
final class BatchingEngine extends EngineThread {
    static final long MAX_LAG_NANOS = 50_000_000L;

    private final BatchScheduler scheduler;
    private boolean busy;
    private long stepStart;

    BatchingEngine(SimConfig config) {
        super("llmh-sim-engine");
        this.scheduler = new BatchScheduler(config);
        startThread();
    }

    @Override
    void accept(Sequence s) {
        scheduler.add(s);
    }

    @Override
    void drop(Sequence s) {
        scheduler.cancel(s);
    }

    @Override
    long work() {
        long now = System.nanoTime();
        if (!busy || now - stepStart > MAX_LAG_NANOS) {
            stepStart = now;
        }
        long duration = scheduler.planStep();
        publish();
        if (duration < 0) {
            busy = false;
            return Long.MAX_VALUE;
        }
        busy = true;
        long deadline = stepStart + duration;
        sleepUntil(deadline);
        scheduler.finishStep(this::emit);
        publish();
        stepStart = deadline;
        return 0;
    }

    private void publish() {
        runningGauge = scheduler.running();
        waitingGauge = scheduler.waiting();
        kvUsageGauge = (double) scheduler.kvReserved() / scheduler.kvCacheTokens();
    }
}
