package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.result.HarnessLimit;

/**
 * What one self-benchmark step measured. Latencies are in milliseconds; a figure that could not be
 * measured (no request, no ground truth) is {@code NaN}, written as {@code null} in JSON.
 *
 * @param preset the simulator setup, e.g. {@code zero} or {@code fixed-itl(ttft=20ms, itl=20ms)}
 * @param load {@code open} or {@code closed}
 * @param level the step's offered load: requests/s (open) or concurrency (closed)
 * @param offeredRate requests/s the load asks for: the rate (open), or concurrency over the
 *     simulator's known request duration (closed, fixed timing); {@code NaN} when unknown (closed
 *     loop against the zero-latency simulator, where the harness itself sets the pace)
 * @param achievedRate requests completed per second of the measurement window
 * @param offeredTokenEventsPerSecond token events per second the load implies ({@code NaN} when unknown)
 * @param tokenEventsPerSecond content events read by the harness per second of the window, {@code >= 0}
 * @param dispatchLagP50 dispatch lag (sent minus intended start), median, ms
 * @param dispatchLagP99 dispatch lag, 99th percentile, ms
 * @param dispatchLagMax dispatch lag, largest, ms
 * @param requestBuildP50 building a request (prompt, benchmark method, HTTP body), median, ms
 * @param requestBuildP99 as above, 99th percentile, ms
 * @param harnessCpu harness process CPU time over the window (less selfbench's own sampler thread)
 *     divided by its wall time: cores used,
 *     0 to the core count
 * @param simulatorCpu the simulator process's CPU over the window, cores used ({@code NaN} when unreadable)
 * @param heapUsedMaxMb largest heap in use seen during the step, MiB
 * @param heapMaxMb the harness JVM's maximum heap, MiB
 * @param peakThreads most live threads of the harness JVM during the step
 * @param connections HTTP connections open (in use or idle in the pool) at the end of the step
 * @param ttftErrorP50 harness first-token read instant minus the simulator's first-token write
 *     instant, median, ms (same host clock)
 * @param ttftErrorP99 as above, 99th percentile, ms
 * @param tokenDelayP50 every token event: harness read minus simulator write, median, ms
 * @param tokenDelayP99 as above, 99th percentile, ms
 * @param tokenDelayMax as above, largest, ms
 * @param itlErrorP50 every inter-token gap: |harness gap between two reads − simulator gap between
 *     the two writes|, median, ms (the error of the ITL the harness reports)
 * @param itlErrorP99 as above, 99th percentile, ms
 * @param simulatorLateP99 fixed-itl: how late the simulator wrote tokens against its own schedule
 *     (receipt + TTFT + (k - 1) x ITL), 99th percentile, ms; {@code NaN} for zero. A late simulator
 *     (it shares the machine) explains a token-event shortfall the harness is not to blame for
 * @param sendDelayP50 every measured request: the simulator's receipt of the whole request minus
 *     the harness's send instant (connection from the pool, writing, loopback, the simulator
 *     reading it), median, ms. TTFT as the harness measures it from the send is the true TTFT plus
 *     this plus the TTFT error
 * @param sendDelayP99 as above, 99th percentile, ms
 * @param loadAverage the host's 1-minute load average at the end of the step ({@code /proc/loadavg})
 * @param measuredRequests requests started inside the window
 * @param matchedRequests measured requests found in the simulator's ground truth
 * @param failedRequests measured requests that failed
 * @param ttftErrorVsServerP50 every matched measured request: the harness's TTFT (first-token read
 *     minus intended start) minus the simulator's own TTFT (first-token write minus receipt of the
 *     request), median, ms. This is the peers' definition of TTFT error: it holds dispatch lag, the
 *     send path and the first-token read lag
 * @param ttftErrorVsServerP99 as above, 99th percentile, ms
 * @param cpuMillisPerRequest harness CPU per completed request: CPU time over the window divided by
 *     the requests completed in it, ms ({@code NaN} when none completed)
 * @param contextSwitchesPerRequest times the harness's threads were put on a CPU (each after a
 *     wake-up or a preemption: their context switches) from the last 0.1 s of warmup to the last 0.1
 *     s of the window, per request completed in the window: the trial's {@code
 *     window.harnessThreads.timeslices} ({@link dev.llmharness.runtime.metrics.SchedulerCounters}
 *     says which threads count; Linux with schedstats, {@code NaN} elsewhere)
 * @param runQueueWaitMillisPerRequest time the same threads spent runnable but waiting for a CPU
 *     over the same span, per request completed in the window, ms: the trial's {@code
 *     window.harnessThreads.runQueueWaitMs} ({@code NaN} likewise)
 * @param harnessLimit whether the step's measured requests started late often enough to make an
 *     {@code llmh run} trial harness-limited ({@link HarnessLimit}: the same rule), with the count
 * @param scheduledRate requests/s the schedule actually placed where their completions count in
 *     the window (open loop: its arrivals in the window, shifted back by the simulator's own request
 *     duration, per second of the window). A Poisson schedule's count differs from the nominal
 *     {@code offeredRate} by chance (seed 42 places 268 arrivals in 30 s at 10 requests/s), so
 *     the achieved rate is judged against this; equal to {@code offeredRate} where no schedule
 *     applies
 */
public record StepFigures(
        String preset,
        String load,
        double level,
        double offeredRate,
        double achievedRate,
        double offeredTokenEventsPerSecond,
        double tokenEventsPerSecond,
        double dispatchLagP50,
        double dispatchLagP99,
        double dispatchLagMax,
        double requestBuildP50,
        double requestBuildP99,
        double harnessCpu,
        double simulatorCpu,
        double heapUsedMaxMb,
        double heapMaxMb,
        int peakThreads,
        int connections,
        double ttftErrorP50,
        double ttftErrorP99,
        double tokenDelayP50,
        double tokenDelayP99,
        double tokenDelayMax,
        double itlErrorP50,
        double itlErrorP99,
        double simulatorLateP99,
        double sendDelayP50,
        double sendDelayP99,
        double loadAverage,
        long measuredRequests,
        long matchedRequests,
        long failedRequests,
        double ttftErrorVsServerP50,
        double ttftErrorVsServerP99,
        double cpuMillisPerRequest,
        double contextSwitchesPerRequest,
        double runQueueWaitMillisPerRequest,
        HarnessLimit harnessLimit,
        double scheduledRate) {

    /** The figures with the scheduled rate equal to the offered one. */
    public StepFigures(
            String preset,
            String load,
            double level,
            double offeredRate,
            double achievedRate,
            double offeredTokenEventsPerSecond,
            double tokenEventsPerSecond,
            double dispatchLagP50,
            double dispatchLagP99,
            double dispatchLagMax,
            double requestBuildP50,
            double requestBuildP99,
            double harnessCpu,
            double simulatorCpu,
            double heapUsedMaxMb,
            double heapMaxMb,
            int peakThreads,
            int connections,
            double ttftErrorP50,
            double ttftErrorP99,
            double tokenDelayP50,
            double tokenDelayP99,
            double tokenDelayMax,
            double itlErrorP50,
            double itlErrorP99,
            double simulatorLateP99,
            double sendDelayP50,
            double sendDelayP99,
            double loadAverage,
            long measuredRequests,
            long matchedRequests,
            long failedRequests,
            double ttftErrorVsServerP50,
            double ttftErrorVsServerP99,
            double cpuMillisPerRequest,
            double contextSwitchesPerRequest,
            double runQueueWaitMillisPerRequest,
            HarnessLimit harnessLimit) {
        this(
                preset,
                load,
                level,
                offeredRate,
                achievedRate,
                offeredTokenEventsPerSecond,
                tokenEventsPerSecond,
                dispatchLagP50,
                dispatchLagP99,
                dispatchLagMax,
                requestBuildP50,
                requestBuildP99,
                harnessCpu,
                simulatorCpu,
                heapUsedMaxMb,
                heapMaxMb,
                peakThreads,
                connections,
                ttftErrorP50,
                ttftErrorP99,
                tokenDelayP50,
                tokenDelayP99,
                tokenDelayMax,
                itlErrorP50,
                itlErrorP99,
                simulatorLateP99,
                sendDelayP50,
                sendDelayP99,
                loadAverage,
                measuredRequests,
                matchedRequests,
                failedRequests,
                ttftErrorVsServerP50,
                ttftErrorVsServerP99,
                cpuMillisPerRequest,
                contextSwitchesPerRequest,
                runQueueWaitMillisPerRequest,
                harnessLimit,
                offeredRate);
    }

    /** The figures of the rising-steps method, without the per-request costs (all {@code NaN}). */
    public StepFigures(
            String preset,
            String load,
            double level,
            double offeredRate,
            double achievedRate,
            double offeredTokenEventsPerSecond,
            double tokenEventsPerSecond,
            double dispatchLagP50,
            double dispatchLagP99,
            double dispatchLagMax,
            double requestBuildP50,
            double requestBuildP99,
            double harnessCpu,
            double simulatorCpu,
            double heapUsedMaxMb,
            double heapMaxMb,
            int peakThreads,
            int connections,
            double ttftErrorP50,
            double ttftErrorP99,
            double tokenDelayP50,
            double tokenDelayP99,
            double tokenDelayMax,
            double itlErrorP50,
            double itlErrorP99,
            double simulatorLateP99,
            double sendDelayP50,
            double sendDelayP99,
            double loadAverage,
            long measuredRequests,
            long matchedRequests,
            long failedRequests,
            HarnessLimit harnessLimit) {
        this(
                preset,
                load,
                level,
                offeredRate,
                achievedRate,
                offeredTokenEventsPerSecond,
                tokenEventsPerSecond,
                dispatchLagP50,
                dispatchLagP99,
                dispatchLagMax,
                requestBuildP50,
                requestBuildP99,
                harnessCpu,
                simulatorCpu,
                heapUsedMaxMb,
                heapMaxMb,
                peakThreads,
                connections,
                ttftErrorP50,
                ttftErrorP99,
                tokenDelayP50,
                tokenDelayP99,
                tokenDelayMax,
                itlErrorP50,
                itlErrorP99,
                simulatorLateP99,
                sendDelayP50,
                sendDelayP99,
                loadAverage,
                measuredRequests,
                matchedRequests,
                failedRequests,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                harnessLimit);
    }
}
