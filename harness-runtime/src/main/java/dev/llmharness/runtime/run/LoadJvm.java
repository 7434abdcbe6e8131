package dev.llmharness.runtime.run;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM settings a load-generating JVM should run with, and a check of the running one.
 *
 * <p>The harness allocates a few hundred bytes per token event, so G1 collects the young generation
 * every second or so under load. When a collection copies survivors into heap memory the process
 * has never touched, every new page is a page fault; on a virtual machine (nested virtualisation
 * especially) that made young pauses of 70 to 200 ms at 800 requests/s on the development VM, and
 * those pauses were the whole p99 of dispatch lag. A fixed heap that is touched once at start-up
 * ({@code -XX:+AlwaysPreTouch}) takes those faults before the first request: the same run then
 * had pauses of 4 to 23 ms and a dispatch lag p99 under 0.7 ms up to 1,600 requests/s
 * (docs/performance.md).
 */
public final class LoadJvm {
    /**
     * Options for the JVM that runs {@code llmh run}, {@code llmh selfbench} or the {@code bench}
     * profile: a fixed 1 GiB heap (enough for 10,000 streams), touched at start-up (about 0.4 s), and
     * no performance-data file ({@code -XX:-UsePerfData}): its sampling is the work of the JVM's
     * periodic task thread, about 1.2 ms of CPU a second that {@code perf sched} showed on the
     * harness's core at 10 requests/s, for counters that only {@code jstat} reads.
     */
    public static final List<String> OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:-UsePerfData");

    /** What to do about a JVM that lacks {@code -XX:+AlwaysPreTouch}. */
    public static final String PRE_TOUCH_ADVICE = "this JVM's heap is not pre-touched, and on a virtual machine a"
            + " garbage collection that copies into fresh memory can pause the harness for 100 ms or more;"
            + " run it with " + String.join(" ", OPTIONS) + " (docs/performance.md)";

    private LoadJvm() {}

    /**
     * Whether this JVM touched its heap at start-up. False when the VM does not say (not HotSpot),
     * so that the advice errs on the side of being shown.
     */
    public static boolean heapPreTouched() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot != null
                    && Boolean.parseBoolean(
                            hotSpot.getVMOption("AlwaysPreTouch").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** This JVM's own options, as given on its command line. */
    public static List<String> currentOptions() {
        return List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
