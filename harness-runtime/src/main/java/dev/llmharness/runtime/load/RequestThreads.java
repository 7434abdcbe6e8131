package dev.llmharness.runtime.load;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads requests run on: one virtual thread per request on JDK 21+, else a cached pool of
 * platform daemon threads (JDK 17). Detected once, by reflection, when this class loads; the hot
 * path never reflects.
 */
public final class RequestThreads {
    /**
     * System property that chooses the threads: {@code virtual} (the default where the JVM has
     * them) or {@code platform}.
     */
    public static final String PROPERTY = "llmh.requestThreads";

    private static final Method VIRTUAL_EXECUTOR = findVirtualExecutor();

    private RequestThreads() {}

    /** Whether this JVM has virtual threads. */
    public static boolean virtual() {
        return VIRTUAL_EXECUTOR != null;
    }

    /** A new executor running each task on its own thread; shut it down after use. */
    public static ExecutorService newExecutor(String name) {
        if (VIRTUAL_EXECUTOR != null) {
            try {
                return (ExecutorService) VIRTUAL_EXECUTOR.invoke(null);
            } catch (ReflectiveOperationException e) {
                // Detected but unusable (e.g. preview restrictions): fall back to platform threads.
            }
        }
        return Executors.newCachedThreadPool(daemonFactory(name));
    }

    /**
     * Named daemon platform threads (request threads on JDK 17 or with {@code platform}, the
     * dispatcher). Each narrows its timer slack first ({@link TimerSlack}),
     * so that its parks end on time.
     */
    public static ThreadFactory daemonFactory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(
                    () -> {
                        TimerSlack.narrow();
                        r.run();
                    },
                    name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Method findVirtualExecutor() {
        String choice = System.getProperty(PROPERTY, "").strip();
        if (choice.equals("platform")) {
            return null;
        }
        if (!choice.isEmpty() && !choice.equals("virtual")) {
            throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + choice + " is not a thread kind: use virtual or platform");
        }
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
