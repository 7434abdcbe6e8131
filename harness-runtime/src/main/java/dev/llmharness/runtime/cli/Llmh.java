package dev.llmharness.runtime.cli;

import dev.llmharness.runtime.compare.CompareCommand;
import dev.llmharness.runtime.data.WorkloadException;
import dev.llmharness.runtime.gate.GateCommand;
import dev.llmharness.runtime.gate.PromoteCommand;
import dev.llmharness.runtime.report.ReportCommand;
import dev.llmharness.runtime.result.MergeCommand;
import dev.llmharness.runtime.result.MergeException;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.selfbench.SelfBenchCommand;
import dev.llmharness.runtime.sim.SimCommand;
import dev.llmharness.runtime.sim.SimException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code llmh} command. Subcommands are listed in the annotation; add a new one there (a
 * class with a no-argument constructor, or one the factory given to {@link #commandLine} makes).
 *
 * <p>Exit codes: {@value #OK} ok, {@value #SLO_FAILED} an SLO failed, {@value #USAGE} usage or
 * configuration error, {@value #RUN_ERROR} run error, {@value #INTERRUPTED} interrupted by Ctrl-C
 * (SIGINT), {@value #TERMINATED} stopped by SIGTERM. The last two are set by the JVM (128 + the
 * signal's number) when it stops on the signal; {@code llmh run} writes what it measured first.
 */
@Command(
        name = "llmh",
        mixinStandardHelpOptions = true,
        versionProvider = Llmh.Version.class,
        description = "LLM Harness: benchmark LLM inference servers.",
        subcommands = {
            RunCommand.class,
            ListCommand.class,
            CompareCommand.class,
            MergeCommand.class,
            ReportCommand.class,
            SweepCommand.class,
            ReleaseGateCommand.class,
            SimCommand.class,
            SelfBenchCommand.class,
            GateCommand.class,
            PromoteCommand.class,
            ProbeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Llmh implements Runnable {
    /** Everything went well. */
    public static final int OK = 0;
    /** The run completed but at least one SLO objective failed (and {@code --fail-on-slo}). */
    public static final int SLO_FAILED = 1;
    /** Bad options, bad configuration, or an unusable target. */
    public static final int USAGE = 2;
    /** The run itself failed. */
    public static final int RUN_ERROR = 3;
    /** Interrupted by Ctrl-C (SIGINT): 128 + 2, as the JVM and shells report it. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM: 128 + 15, as the JVM reports it. */
    public static final int TERMINATED = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "name a subcommand: run, list, compare, merge, report, sweep, release-gate, gate, promote, sim, selfbench or"
                        + " probe");
    }

    public static void main(String[] args) {
        clearBlankProperties(System.getProperties());
        System.exit(commandLine(CommandLine.defaultFactory()).execute(args));
    }

    /**
     * Removes every {@code llmh.*} property whose value is blank, so that commands see it as not
     * set: build tools pass properties on with empty defaults ({@code -Dllmh.seed=}), which would
     * otherwise be rejected as "'' is not a long".
     */
    public static void clearBlankProperties(Properties properties) {
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("llmh.") && properties.getProperty(name).isBlank()) {
                properties.remove(name);
            }
        }
    }

    /**
     * The command line with the harness's exit codes and error handling: a bad option or input is
     * one line naming it (and where help is), exit code {@value #USAGE}; never the whole usage, never
     * a stack trace.
     */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(Llmh.class, factory);
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : RUN_ERROR);
        cl.setParameterExceptionHandler(Llmh::badOption);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine));
        return cl;
    }

    /**
     * Every exit code the command line returns, with its meaning: the one list the documentation's
     * exit-code tables follow (a test compares them).
     */
    public static Map<Integer, String> exitCodes() {
        Map<Integer, String> codes = new LinkedHashMap<>();
        codes.put(OK, "ok");
        codes.put(SLO_FAILED, "an SLO objective failed, or a gated metric regressed");
        codes.put(USAGE, "usage or configuration error: a bad option, value, input file or target");
        codes.put(RUN_ERROR, "the run failed");
        codes.put(INTERRUPTED, "interrupted by Ctrl-C (SIGINT)");
        codes.put(TERMINATED, "stopped by SIGTERM");
        return codes;
    }

    /**
     * One line for an exception that ended a command, by family, never a stack trace: bad input
     * (options, files, datasets, result files) is {@value #USAGE}; an I/O or simulator failure is
     * {@value #RUN_ERROR}; anything else is a harness defect, {@value #RUN_ERROR}, whose stack trace
     * goes to a file the line names. The family is looked up along the causes, so that a wrapped
     * input error still reads as one.
     */
    static int failed(Exception e, CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName();
        PrintWriter err = commandLine.getErr();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isInputError(t)) {
                err.println(name + ": " + message(t));
                err.flush();
                return USAGE;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SimException sim && sim.stoppedBySignal()) {
                // Ctrl-C or SIGTERM reached the process group while the simulator started: the
                // signal's exit code and one line, not the simulator's failure.
                boolean term = sim.childExit() == SimException.SIGTERM_EXIT;
                err.println(name + ": " + (term ? "stopped by SIGTERM" : "interrupted") + " while the simulator"
                        + " started, which the same signal stopped: nothing was measured");
                err.flush();
                return term ? TERMINATED : INTERRUPTED;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UncheckedIOException || t instanceof IOException || t instanceof SimException) {
                err.println(name + ": " + message(t));
                err.flush();
                return RUN_ERROR;
            }
        }
        String where;
        try {
            Path trace = Files.createTempFile("llmh-error-", ".txt");
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            Files.writeString(trace, text.toString());
            where = "its stack trace is in " + trace;
        } catch (IOException | RuntimeException io) {
            where = "its stack trace could not be saved (" + io.getMessage() + ")";
        }
        err.println(name + ": internal error of the harness (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); please report it: " + where);
        err.flush();
        return RUN_ERROR;
    }

    private static boolean isInputError(Throwable t) {
        return t instanceof IllegalArgumentException
                || t instanceof ResultFormatException
                || t instanceof WorkloadException
                || t instanceof MergeException;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * One line for a bad command line: what is wrong, a suggestion when picocli has one, and where
     * the help is. A value that came from a system property ({@code -Dllmh.x=...}) is named as such,
     * since the user did not type the option.
     */
    private static int badOption(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(e.getMessage());
        String property = OptionText.propertyOf(e.getArgSpec());
        if (property != null && !OptionText.givenOnCommandLine(cl, e.getArgSpec())) {
            line.append(" (from -D").append(property).append(')');
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getSuggestions().isEmpty()) {
            line.append("; did you mean ")
                    .append(String.join(
                            " or ",
                            u.getSuggestions()
                                    .subList(0, Math.min(3, u.getSuggestions().size()))))
                    .append('?');
        }
        line.append(" (see ").append(name).append(" --help)");
        cl.getErr().println(line);
        cl.getErr().flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Reports the harness version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "llmh "
                        + dev.llmharness.runtime.run.RunInfoCollector.collect(java.nio.file.Path.of("."))
                                .harnessVersion()
            };
        }
    }
}
