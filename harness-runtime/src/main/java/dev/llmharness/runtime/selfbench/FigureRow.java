package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.result.HarnessLimit;

/**
 * What a method measures its own way for one row of figures (a step of the rising-steps and peers'
 * methods, a phase of the spike): the rest of the row, the same for every method, comes from the
 * trial's resource samples over the row's span and from its requests matched with the simulator's
 * ground truth ({@link #figures}). Latencies in ms; {@code NaN} where not measured.
 *
 * @param preset the simulator setup
 * @param load {@code open}, {@code closed}, or the spike's phase
 * @param level requests/s or concurrency of the row
 * @param offeredRate requests/s the load asks for
 * @param achievedRate requests completed per second of the row
 * @param offeredEvents token events per second the load implies
 * @param eventsPerSecond content events read per second of the row
 * @param lagP50 dispatch lag, median
 * @param lagP99 dispatch lag, 99th percentile
 * @param lagMax dispatch lag, largest
 * @param buildP50 request build, median
 * @param buildP99 request build, 99th percentile
 * @param peakThreads most live threads of the harness JVM in the row
 * @param loadAverage the host's 1-minute load average
 * @param switchesPerRequest context switches per completed request
 * @param runQueueWaitMillisPerRequest run-queue wait per completed request
 * @param harnessLimit whether the row's requests started late often enough to make an {@code llmh
 *     run} trial harness-limited
 * @param scheduledRate requests/s the schedule placed in the row (see {@link StepFigures})
 */
record FigureRow(
        String preset,
        String load,
        double level,
        double offeredRate,
        double achievedRate,
        double offeredEvents,
        double eventsPerSecond,
        double lagP50,
        double lagP99,
        double lagMax,
        double buildP50,
        double buildP99,
        int peakThreads,
        double loadAverage,
        double switchesPerRequest,
        double runQueueWaitMillisPerRequest,
        HarnessLimit harnessLimit,
        double scheduledRate) {

    /** The row's figures, its CPU and heap from {@code run}'s samples over {@code [from, to)}. */
    StepFigures figures(StepRunner.TrialRun run, StepRunner.Matched m, long from, long to) {
        double harnessCpu = run.sampler().harnessCores(from, to);
        return new StepFigures(
                preset,
                load,
                level,
                offeredRate,
                achievedRate,
                offeredEvents,
                eventsPerSecond,
                lagP50,
                lagP99,
                lagMax,
                buildP50,
                buildP99,
                harnessCpu,
                run.sampler().simulatorCores(from, to),
                run.sampler().heapUsedMax() / (1024.0 * 1024.0),
                run.sampler().heapMax() / (1024.0 * 1024.0),
                peakThreads,
                run.connections(),
                m.ttftError().percentileMillis(50),
                m.ttftError().percentileMillis(99),
                m.tokenDelay().percentileMillis(50),
                m.tokenDelay().percentileMillis(99),
                m.tokenDelay().percentileMillis(100),
                m.itlError().percentileMillis(50),
                m.itlError().percentileMillis(99),
                m.simLate().percentileMillis(99),
                m.sendDelay().percentileMillis(50),
                m.sendDelay().percentileMillis(99),
                loadAverage,
                m.measured(),
                m.matched(),
                m.failed(),
                m.ttftVsServer().percentileMillis(50),
                m.ttftVsServer().percentileMillis(99),
                achievedRate > 0 ? harnessCpu * 1e3 / achievedRate : Double.NaN,
                switchesPerRequest,
                runQueueWaitMillisPerRequest,
                harnessLimit,
                scheduledRate);
    }
}
