package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.run.PlannedTrial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Finds the benchmark suites on the class path and selects trials by regex. */
public final class SuiteSelection {
    private SuiteSelection() {}

    /** Every suite registered under {@code META-INF/services}, by class name. */
    static List<BenchmarkSuite> discover() {
        return discover(ServiceLoader.load(BenchmarkSuite.class));
    }

    /**
     * Every suite {@code loader} finds, by class name. An entry of the service file whose suite
     * cannot be loaded, or whose benchmark class is gone, is left over from an earlier build (a
     * deleted or renamed benchmark class, a failed compilation): each is collected, and together
     * they are one error naming the classes and the fix, instead of the {@link
     * ServiceConfigurationError} the first one would throw.
     *
     * @throws IllegalArgumentException naming every stale entry (the CLI exits with 2)
     */
    static List<BenchmarkSuite> discover(ServiceLoader<BenchmarkSuite> loader) {
        List<BenchmarkSuite> suites = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        Iterator<BenchmarkSuite> it = loader.iterator();
        // The iterator moves past an entry that fails, so the next call tries the next entry; the
        // bound only guards against a class loader that fails the same way forever.
        for (int attempts = 0; attempts < MAX_ENTRIES; attempts++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                BenchmarkSuite suite = it.next();
                if (loadable(suite.benchmarkClass(), suite.getClass().getClassLoader())) {
                    suites.add(suite);
                } else {
                    stale.add(suite.getClass().getName() + " (its benchmark class " + suite.benchmarkClass()
                            + " is gone)");
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                stale.add(providerOf(e));
            }
        }
        if (!stale.isEmpty()) {
            throw new IllegalArgumentException(SERVICE_FILE + " on the class path names "
                    + String.join(", ", stale) + ", which cannot be loaded: "
                    + (stale.size() == 1 ? "the entry is" : "the entries are")
                    + " left over from an earlier build (a deleted or renamed benchmark class, or a failed"
                    + " compilation); rebuild cleanly, e.g. ./mvnw clean compile");
        }
        suites.sort(Comparator.comparing(BenchmarkSuite::benchmarkClass));
        return suites;
    }

    private static final String SERVICE_FILE = "META-INF/services/" + BenchmarkSuite.class.getName();
    private static final int MAX_ENTRIES = 100_000;
    private static final Pattern PROVIDER = Pattern.compile("Provider (\\S+)");

    /** The class a service-loading error is about, with the reason when it is not "not found". */
    private static String providerOf(Throwable e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = PROVIDER.matcher(message);
        if (!m.find()) {
            return "an entry (" + message + ")";
        }
        if (message.endsWith(" not found")) {
            return m.group(1);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return m.group(1) + " (" + cause + ")";
    }

    /**
     * Whether the class of canonical name {@code name} loads; nested classes are tried with their
     * binary names ({@code Outer.Inner} is {@code Outer$Inner}).
     */
    private static boolean loadable(String name, ClassLoader loader) {
        String binary = name;
        while (true) {
            try {
                Class.forName(binary, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                int dot = binary.lastIndexOf('.');
                if (dot < 0) {
                    return false;
                }
                binary = binary.substring(0, dot) + "$" + binary.substring(dot + 1);
            }
        }
    }

    /** The suites on the class path with at least one trial selected by {@code include}. */
    public static List<BenchmarkSuite> suitesMatching(String include) {
        List<BenchmarkSuite> suites = new ArrayList<>();
        for (PlannedTrial t : select(discover(), include)) {
            if (!suites.contains(t.suite())) {
                suites.add(t.suite());
            }
        }
        return suites;
    }

    /**
     * The trials whose id contains a match of {@code include} (as JMH does: {@code find}, not
     * {@code matches}), in suite and declaration order.
     *
     * @throws IllegalArgumentException when the regex is invalid
     */
    static List<PlannedTrial> select(List<BenchmarkSuite> suites, String include) {
        Pattern p;
        try {
            p = Pattern.compile(include == null || include.isBlank() ? ".*" : include);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--include / llmh.include is not a valid regular expression: "
                    + e.getDescription() + " in \"" + include + "\"");
        }
        List<PlannedTrial> out = new ArrayList<>();
        for (BenchmarkSuite s : suites) {
            for (TrialSpec t : s.trials()) {
                if (p.matcher(t.id()).find()) {
                    out.add(new PlannedTrial(s, t));
                }
            }
        }
        return out;
    }
}
