package dev.llmharness.runtime.result;

/**
 * Run metadata. Comparisons warn when the environment of two runs differs.
 *
 * @param harnessVersion version of LLM Harness
 * @param gitCommit commit of the working directory, or {@code null} outside git
 * @param gitDirty whether the working tree had uncommitted changes, or {@code null} outside git
 * @param startTime wall-clock start, ISO-8601 UTC (a label only; durations use the monotonic clock)
 * @param host host name
 * @param os operating system name, version and architecture
 * @param cpuCount available processors
 * @param jvm JVM vendor and version
 * @param shard which shard wrote the file: {@code "K/N"}, shard K (from 0) of N ({@code --shard};
 *     {@code "0/1"} for an unsharded run, whose every trial holds the whole load); {@code "merged N
 *     shards"} or {@code "merged N runs"} in a merged file. A shard's trials record the whole trial's
 *     load ({@code trials[].load}) and their counts of its part of it
 * @param loadAverage the machine's one-minute load average when the run started (runnable
 *     processes, comparable with {@link #cpuCount}), {@code null} where the OS does not report it
 *     or the file predates it
 * @param transport how requests reached the server ({@code threads} or {@code event-loop}), {@code
 *     null} when the file predates it or merged runs used different ones
 * @param jitPriority the priority the JVM's compiler threads and the harness's housekeeping threads
 *     ran at: {@code idle} (Linux {@code SCHED_IDLE}), {@code normal} ({@code --jit-priority normal})
 *     or {@code unavailable} (not Linux, or {@code chrt} missing or refused); {@code null} when the
 *     file predates it or merged runs differ
 * @param jvmWarmup whether the JVM's request path was warmed before the run's first trial ({@code
 *     --jvm-warmup}): {@code on} (by this run, or an earlier one in the same JVM), {@code off} or
 *     {@code failed}; {@code null} when the file predates it or merged runs differ
 * @param cpuSplit where the harness and the embedded simulator ran ({@code --cpu-split}): {@code
 *     harness=0 simulator=1} (the CPU lists each was pinned to), {@code off} (opted out, sharing),
 *     {@code unavailable} (one CPU, no {@code taskset}, or refused: sharing) or {@code none} (no
 *     simulator: a real server, nothing pinned); {@code null} when the file predates it or merged
 *     runs differ
 * @param harnessBuild which build of the harness measured the run: the first 12 hex digits of a
 *     SHA-256 over the harness's own class files (harness-runtime and harness-api: each one's name,
 *     size and CRC-32), the same whether they were loaded from jars or class folders, and different for
 *     any change to their code; {@link #UNKNOWN_BUILD} when the runtime could not read its own code;
 *     {@code null} in files written before it was recorded. The version alone ({@code
 *     0.1.0-SNAPSHOT} for every commit) does not tell two builds apart
 */
public record RunInfo(
        String harnessVersion,
        String gitCommit,
        Boolean gitDirty,
        String startTime,
        String host,
        String os,
        int cpuCount,
        String jvm,
        String shard,
        Double loadAverage,
        String transport,
        String jitPriority,
        String jvmWarmup,
        String cpuSplit,
        String harnessBuild) {
    /** {@link #harnessBuild} when the runtime could not read its own code: no difference in a comparison. */
    public static final String UNKNOWN_BUILD = "unknown";

    @com.fasterxml.jackson.annotation.JsonCreator
    public RunInfo {}

    /**
     * The environment of a run, without what later versions added (load average, transport, JIT
     * priority, warm-up, CPU split, harness build): add those with the {@code with...} methods or {@link
     * #toBuilder()}.
     */
    public static RunInfo of(
            String harnessVersion,
            String gitCommit,
            Boolean gitDirty,
            String startTime,
            String host,
            String os,
            int cpuCount,
            String jvm,
            String shard) {
        // Through the builder, so that a field added later is null here without touching this.
        return new Builder()
                .harnessVersion(harnessVersion)
                .gitCommit(gitCommit)
                .gitDirty(gitDirty)
                .startTime(startTime)
                .host(host)
                .os(os)
                .cpuCount(cpuCount)
                .jvm(jvm)
                .shard(shard)
                .build();
    }

    /** A builder holding this metadata, to change some of it. */
    public Builder toBuilder() {
        return new Builder()
                .harnessVersion(harnessVersion)
                .gitCommit(gitCommit)
                .gitDirty(gitDirty)
                .startTime(startTime)
                .host(host)
                .os(os)
                .cpuCount(cpuCount)
                .jvm(jvm)
                .shard(shard)
                .loadAverage(loadAverage)
                .transport(transport)
                .jitPriority(jitPriority)
                .jvmWarmup(jvmWarmup)
                .cpuSplit(cpuSplit)
                .harnessBuild(harnessBuild);
    }

    /** The same metadata with {@code loadAverage}. */
    public RunInfo withLoadAverage(Double loadAverage) {
        return toBuilder().loadAverage(loadAverage).build();
    }

    /** The same metadata with {@code transport}. */
    public RunInfo withTransport(String transport) {
        return toBuilder().transport(transport).build();
    }

    /** The same metadata with {@code jitPriority}. */
    public RunInfo withJitPriority(String jitPriority) {
        return toBuilder().jitPriority(jitPriority).build();
    }

    /** The same metadata with {@code jvmWarmup}. */
    public RunInfo withJvmWarmup(String jvmWarmup) {
        return toBuilder().jvmWarmup(jvmWarmup).build();
    }

    /** The same metadata with {@code cpuSplit}. */
    public RunInfo withCpuSplit(String cpuSplit) {
        return toBuilder().cpuSplit(cpuSplit).build();
    }

    /** The same metadata with {@code harnessBuild}. */
    public RunInfo withHarnessBuild(String harnessBuild) {
        return toBuilder().harnessBuild(harnessBuild).build();
    }

    /** The same metadata with {@code shard} ({@code "K/N"}). */
    public RunInfo withShard(String shard) {
        return toBuilder().shard(shard).build();
    }

    /**
     * Builds a {@link RunInfo} field by field (see the record's components for each one's meaning);
     * a field not set is {@code null} ({@code 0} for {@code cpuCount}). Not thread-safe.
     */
    public static final class Builder {
        private String harnessVersion;
        private String gitCommit;
        private Boolean gitDirty;
        private String startTime;
        private String host;
        private String os;
        private int cpuCount;
        private String jvm;
        private String shard;
        private Double loadAverage;
        private String transport;
        private String jitPriority;
        private String jvmWarmup;
        private String cpuSplit;
        private String harnessBuild;

        /** An empty builder. */
        public Builder() {}

        public Builder harnessVersion(String value) {
            harnessVersion = value;
            return this;
        }

        public Builder gitCommit(String value) {
            gitCommit = value;
            return this;
        }

        public Builder gitDirty(Boolean value) {
            gitDirty = value;
            return this;
        }

        public Builder startTime(String value) {
            startTime = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder os(String value) {
            os = value;
            return this;
        }

        public Builder cpuCount(int value) {
            cpuCount = value;
            return this;
        }

        public Builder jvm(String value) {
            jvm = value;
            return this;
        }

        public Builder shard(String value) {
            shard = value;
            return this;
        }

        public Builder loadAverage(Double value) {
            loadAverage = value;
            return this;
        }

        public Builder transport(String value) {
            transport = value;
            return this;
        }

        public Builder jitPriority(String value) {
            jitPriority = value;
            return this;
        }

        public Builder jvmWarmup(String value) {
            jvmWarmup = value;
            return this;
        }

        public Builder cpuSplit(String value) {
            cpuSplit = value;
            return this;
        }

        public Builder harnessBuild(String value) {
            harnessBuild = value;
            return this;
        }

        /** The metadata as set. */
        public RunInfo build() {
            return new RunInfo(
                    harnessVersion,
                    gitCommit,
                    gitDirty,
                    startTime,
                    host,
                    os,
                    cpuCount,
                    jvm,
                    shard,
                    loadAverage,
                    transport,
                    jitPriority,
                    jvmWarmup,
                    cpuSplit,
                    harnessBuild);
        }
    }
}
