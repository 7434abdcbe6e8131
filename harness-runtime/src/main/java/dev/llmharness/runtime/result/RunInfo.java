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
 * @param shard which shard wrote the file, e.g. {@code "0/1"} for an unsharded run
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
        String cpuSplit) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public RunInfo {}

    /** Run metadata without the CPU split. */
    public RunInfo(
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
            String jvmWarmup) {
        this(
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
                null);
    }

    /** Run metadata without the JVM warm-up. */
    public RunInfo(
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
            String jitPriority) {
        this(
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
                null);
    }

    /** Run metadata without the compiler threads' priority. */
    public RunInfo(
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
            String transport) {
        this(
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
                null);
    }

    /** Run metadata without the transport. */
    public RunInfo(
            String harnessVersion,
            String gitCommit,
            Boolean gitDirty,
            String startTime,
            String host,
            String os,
            int cpuCount,
            String jvm,
            String shard,
            Double loadAverage) {
        this(harnessVersion, gitCommit, gitDirty, startTime, host, os, cpuCount, jvm, shard, loadAverage, null, null);
    }

    /** The same metadata with {@code transport}. */
    public RunInfo withTransport(String transport) {
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
                cpuSplit);
    }

    /** The same metadata with {@code jitPriority}. */
    public RunInfo withJitPriority(String jitPriority) {
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
                cpuSplit);
    }

    /** The same metadata with {@code jvmWarmup}. */
    public RunInfo withJvmWarmup(String jvmWarmup) {
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
                cpuSplit);
    }

    /** The same metadata with {@code cpuSplit}. */
    public RunInfo withCpuSplit(String cpuSplit) {
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
                cpuSplit);
    }

    /** Run metadata without a load average. */
    public RunInfo(
            String harnessVersion,
            String gitCommit,
            Boolean gitDirty,
            String startTime,
            String host,
            String os,
            int cpuCount,
            String jvm,
            String shard) {
        this(harnessVersion, gitCommit, gitDirty, startTime, host, os, cpuCount, jvm, shard, null, null, null);
    }
}
