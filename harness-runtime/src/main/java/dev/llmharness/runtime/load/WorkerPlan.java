package dev.llmharness.runtime.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How many closed-loop workers run over time: a piecewise-linear target concurrency {@code c(t)}
 * (stages, as k6's ramping VUs), and worker {@code k} (from 0) runs while {@code c(t) > k}. When
 * the target falls below a running worker's number, the worker finishes its current request and
 * stops; when it rises again, the worker resumes. So a linear ramp from 0 to {@code N} over {@code
 * D} starts worker {@code k} at {@code k·D/N}, evenly, as Gatling's {@code rampUsers(N).during(D)}.
 *
 * <p>A plan whose last stage lasts {@link Long#MAX_VALUE} ns holds its last target until the
 * measurement window ends; otherwise every worker stops when the plan ends. Instants are
 * nanoseconds from the trial start, computed from the stages alone.
 */
public final class WorkerPlan {
    /**
     * One stage: the target goes linearly from where the previous stage ended to {@code
     * toWorkers} over {@code durationNanos} (0 jumps).
     *
     * @param durationNanos {@code >= 0}
     * @param toWorkers the target concurrency at the stage's end, {@code >= 0}
     */
    public record Stage(long durationNanos, int toWorkers) {
        public Stage {
            if (durationNanos < 0) {
                throw new IllegalArgumentException("a stage's duration must be >= 0, got " + durationNanos + " ns");
            }
            if (toWorkers < 0) {
                throw new IllegalArgumentException("a stage's target concurrency must be >= 0, got " + toWorkers);
            }
        }

        public static Stage of(Duration duration, int toWorkers) {
            return new Stage(duration.toNanos(), toWorkers);
        }
    }

    /** A stage that never ends: the target holds until the measurement window closes the trial. */
    public static final long FOREVER = Long.MAX_VALUE;

    /** Separates the stagger's random stream from an open-loop schedule's drawn from the same seed. */
    private static final long STAGGER_SALT = 0x5DEECE66DL;

    private final int startWorkers;
    private final List<Stage> stages;
    private final long[] ends;
    private final int[] from;

    /**
     * @param startWorkers the target at offset 0, {@code >= 0}
     * @param stages at least one; the plan must run some worker for some time
     */
    public WorkerPlan(int startWorkers, List<Stage> stages) {
        if (startWorkers < 0) {
            throw new IllegalArgumentException("the starting concurrency must be >= 0, got " + startWorkers);
        }
        this.stages = List.copyOf(stages);
        if (this.stages.isEmpty()) {
            throw new IllegalArgumentException("a worker plan needs at least one stage");
        }
        this.startWorkers = startWorkers;
        int n = this.stages.size();
        ends = new long[n + 1];
        from = new int[n];
        int previous = startWorkers;
        boolean anyWork = false;
        for (int k = 0; k < n; k++) {
            Stage s = this.stages.get(k);
            from[k] = previous;
            if (s.durationNanos() == FOREVER) {
                if (k != n - 1) {
                    throw new IllegalArgumentException("only the last stage can hold forever");
                }
                ends[k + 1] = FOREVER;
            } else if (s.durationNanos() > Long.MAX_VALUE - 1 - ends[k]) {
                throw new IllegalArgumentException("a worker plan lasts at most " + (Long.MAX_VALUE - 1) + " ns");
            } else {
                ends[k + 1] = ends[k] + s.durationNanos();
            }
            anyWork |= s.durationNanos() > 0 && (previous > 0 || s.toWorkers() > 0);
            previous = s.toWorkers();
        }
        if (!anyWork) {
            throw new IllegalArgumentException("a worker plan must run at least one worker for some time");
        }
    }

    /** {@code workers} from the start, forever: today's fixed closed loop. */
    public static WorkerPlan constant(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + workers);
        }
        return new WorkerPlan(workers, List.of(new Stage(FOREVER, workers)));
    }

    /**
     * {@code workers} that start once each at seeded instants spread over {@code spread}, then
     * hold: worker {@code k} (by start order) at {@code (k + u_k)·spread/workers} with {@code u_k}
     * uniform in {@code [0, 1)} from {@code seed} (one start in each of {@code workers} equal
     * slices). The fixed closed loop starts this way so that its workers do not arrive in one
     * burst: a batching server serves a burst of identical requests as one batch, they end
     * together and come back together, and the workers then move in lockstep for the whole trial
     * (docs/load.md). Random offsets inside the slices keep an even spread from lining up with a
     * server's own period. The same seed gives the same instants.
     *
     * @param spread {@code >= 0}; zero starts every worker at once
     */
    public static WorkerPlan staggered(int workers, Duration spread, long seed) {
        if (workers < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + workers);
        }
        if (spread.isNegative()) {
            throw new IllegalArgumentException("the stagger must be >= 0s, got " + spread);
        }
        long spreadNanos = spread.toNanos();
        if (spreadNanos == 0 || workers == 1) {
            return constant(workers);
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ STAGGER_SALT);
        List<Stage> stages = new ArrayList<>();
        long previous = 0;
        for (int k = 0; k < workers; k++) {
            long start = (long) ((k + random.nextDouble()) * spreadNanos / workers);
            // Hold k workers until worker k's start, then jump to k + 1.
            stages.add(new Stage(start - previous, k));
            stages.add(new Stage(0, k + 1));
            previous = start;
        }
        stages.add(new Stage(FOREVER, workers));
        return new WorkerPlan(0, stages);
    }

    /** From 0 to {@code workers} linearly over {@code ramp} (worker k at k·ramp/workers), then hold. */
    public static WorkerPlan ramp(int workers, Duration ramp) {
        if (workers < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + workers);
        }
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("the ramp must be >= 0s, got " + ramp);
        }
        return new WorkerPlan(0, List.of(Stage.of(ramp, workers), new Stage(FOREVER, workers)));
    }

    /** The plan of a staged closed-loop model. */
    public static WorkerPlan of(dev.llmharness.api.spi.StagedClosedLoopModel model) {
        List<Stage> stages = new ArrayList<>();
        for (dev.llmharness.api.spi.WorkerStage s : model.stages()) {
            stages.add(Stage.of(s.duration(), s.toWorkers()));
        }
        if (model.holdLast()) {
            stages.add(new Stage(
                    FOREVER, model.stages().get(model.stages().size() - 1).toWorkers()));
        }
        return new WorkerPlan(model.startWorkers(), stages);
    }

    /** Stages of concurrency from {@code startWorkers}; workers stop when the last stage ends. */
    public static WorkerPlan stages(int startWorkers, List<Stage> stages) {
        return new WorkerPlan(startWorkers, stages);
    }

    public int startWorkers() {
        return startWorkers;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The most workers ever running at once: the threads a driver needs. */
    public int peakWorkers() {
        int peak = startWorkers;
        for (Stage s : stages) {
            peak = Math.max(peak, s.toWorkers());
        }
        return peak;
    }

    /** How long the plan runs, ns; {@link Long#MAX_VALUE} when it holds until the window ends. */
    public long durationNanos() {
        return ends[stages.size()];
    }

    /** The target concurrency at an offset (fractional on a ramp); 0 outside {@code [0, end)}. */
    public double targetAt(long offsetNanos) {
        if (offsetNanos < 0 || offsetNanos >= durationNanos()) {
            return 0;
        }
        int k = stageAt(offsetNanos);
        return value(k, offsetNanos);
    }

    /** The number of workers running at an offset: those {@code k} with {@code c(t) > k}. */
    public int workersAt(long offsetNanos) {
        return (int) Math.ceil(targetAt(offsetNanos));
    }

    /**
     * The first offset {@code >= fromNanos} at which worker {@code worker} runs ({@code c(t) >
     * worker}), rounded up to a nanosecond, or {@link ArrivalSchedule#END} if it never runs again.
     */
    public long nextStart(int worker, long fromNanos) {
        for (int k = stageAt(Math.max(0, fromNanos)); k < stages.size(); k++) {
            if (ends[k + 1] == ends[k] || ends[k + 1] <= fromNanos) {
                continue;
            }
            long s = Math.max(ends[k], fromNanos);
            if (value(k, s) > worker) {
                return s;
            }
            int b = stages.get(k).toWorkers();
            if (b > worker) {
                // Rising through `worker` inside the stage: c(t) = worker at t* = start + (worker - a)/(b - a)·d.
                long t = Math.max(s, (long) Math.ceil(crossing(k, worker)));
                if (t < ends[k + 1]) {
                    return t;
                }
            }
        }
        return ArrivalSchedule.END;
    }

    /**
     * The first offset {@code >= fromNanos} at which worker {@code worker} must stop (from which on
     * {@code c(t) <= worker}), or the plan's end, or {@link Long#MAX_VALUE} if it never must.
     */
    public long nextStop(int worker, long fromNanos) {
        for (int k = stageAt(Math.max(0, fromNanos)); k < stages.size(); k++) {
            if (ends[k + 1] == ends[k] || ends[k + 1] <= fromNanos) {
                continue;
            }
            long s = Math.max(ends[k], fromNanos);
            int b = stages.get(k).toWorkers();
            double c = value(k, s);
            // At a rising stage's crossing c(t) == worker for an instant only: the worker keeps running.
            if (c < worker || (c == worker && b <= worker)) {
                return s;
            }
            if (b <= worker) {
                long t = Math.max(s, (long) Math.ceil(crossing(k, worker)));
                if (t < ends[k + 1]) {
                    return t;
                }
            }
        }
        return durationNanos();
    }

    /** Where stage k's target passes {@code level}, ns (the stage must go from one side to the other). */
    private double crossing(int k, int level) {
        int a = from[k];
        int b = stages.get(k).toWorkers();
        return ends[k] + (double) (level - a) / (b - a) * (ends[k + 1] - ends[k]);
    }

    private double value(int k, long offsetNanos) {
        long d = ends[k + 1] - ends[k];
        int a = from[k];
        int b = stages.get(k).toWorkers();
        if (a == b) {
            return a;
        }
        return a + (b - a) * ((double) (offsetNanos - ends[k]) / d);
    }

    /** The stage holding {@code offsetNanos} (the last k with ends[k] <= offset), clamped to the last. */
    private int stageAt(long offsetNanos) {
        int lo = 0;
        int hi = stages.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ends[mid] <= offsetNanos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerPlan p && p.startWorkers == startWorkers && p.stages.equals(stages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startWorkers, stages);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Stage s : stages) {
            parts.add((s.durationNanos() == FOREVER
                            ? "hold"
                            : Duration.ofNanos(s.durationNanos()).toString()) + "→" + s.toWorkers());
        }
        return "WorkerPlan[from " + startWorkers + ", " + String.join(", ", parts) + "]";
    }
}
