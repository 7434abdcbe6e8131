package dev.llmharness.runtime.load;

import dev.llmharness.runtime.settings.Choice;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads requests run on: one virtual thread per request on JDK 21+, else a cached pool of
 * platform daemon threads (JDK 17), or those with {@code -Dllmh.requestThreads=platform}. Detected
 * once, by reflection, when first needed; the hot path never reflects.
 */
public final class RequestThreads {
    /**
     * System property that chooses the threads: {@code virtual} (the default where the JVM has
     * them) or {@code platform}.
     */
    public static final String PROPERTY = "llmh.requestThreads";

    /** The kinds of request thread ({@value #PROPERTY}). */
    public enum Kind {
        /** A virtual thread per request, where the JVM has them (JDK 21+); else as {@link #PLATFORM}. */
        VIRTUAL,
        /** A platform daemon thread per request, from a cached pool. */
        PLATFORM;

        /** As the property is written. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The setting: {@code virtual} or {@code platform}, {@code virtual} when not set. */
    public static final Choice<Kind> SETTING = Choice.ofEnum(PROPERTY, null, Kind.values(), Kind::label, Kind.VIRTUAL);

    private RequestThreads() {}

    /**
     * The executor factory, found when first needed rather than when this class loads, so that a
     * bad {@value #PROPERTY} is reported by the command's check of its settings (one line) and not
     * as a failed class initialisation.
     */
    private static final class Virtual {
        static final Method EXECUTOR = findVirtualExecutor();
    }

    /** Whether this JVM has virtual threads. */
    public static boolean virtual() {
        return Virtual.EXECUTOR != null;
    }

    /** A new executor running each task on its own thread; shut it down after use. */
    public static ExecutorService newExecutor(String name) {
        if (Virtual.EXECUTOR != null) {
            try {
                return (ExecutorService) Virtual.EXECUTOR.invoke(null);
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
        if (SETTING.fromProperty() == Kind.PLATFORM) {
            return null;
        }
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
