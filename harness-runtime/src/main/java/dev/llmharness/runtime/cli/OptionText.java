package dev.llmharness.runtime.cli;

import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.settings.Choice;
import dev.llmharness.runtime.settings.ServerUrl;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads option values that arrive as text, so that every error names what the user wrote: the
 * option ({@code --progress -1s}) when it was on the command line, the system property ({@code
 * -Dllmh.progress=-1s}) when it came from there. Options declare their property as the default
 * {@code ${sys:llmh.name...}}; that is where the name is read from.
 */
public final class OptionText {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{sys:([^:}]+)");

    private OptionText() {}

    /** The system property an option falls back to, or {@code null}. */
    static String propertyOf(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.defaultValueString(false) == null) {
            return null;
        }
        Matcher m = PROPERTY.matcher(option.defaultValueString(false));
        return m.find() ? m.group(1) : null;
    }

    /** Whether the user typed the option (rather than it coming from a property or its default). */
    static boolean givenOnCommandLine(CommandLine cl, ArgSpec arg) {
        CommandLine.ParseResult parsed = cl.getParseResult();
        if (parsed == null || !(arg instanceof OptionSpec option)) {
            return false;
        }
        // Not hasMatchedOption: picocli counts a default applied from ${sys:...} as matched.
        for (String given : parsed.originalArgs()) {
            if (given.equals("--")) {
                return false;
            }
            for (String name : option.names()) {
                if (given.equals(name) || given.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How the user wrote an option's value: {@code --progress -1s} or {@code -Dllmh.progress=-1s}. */
    public static String written(CommandSpec spec, String optionName, Object value) {
        String name = writtenName(spec, optionName);
        return name.startsWith("-D") ? name + "=" + value : name + " " + value;
    }

    /**
     * How the user set an option: {@code --progress} when typed, {@code -Dllmh.progress} when its
     * value came from the system property.
     */
    public static String writtenName(CommandSpec spec, String optionName) {
        OptionSpec option = spec.findOption(optionName);
        String property = option == null ? null : propertyOf(option);
        if (property != null && !givenOnCommandLine(spec.commandLine(), option)) {
            return "-D" + property;
        }
        return optionName;
    }

    /**
     * A duration option ({@code 30s}, {@code 1m30s}); {@code null} text gives {@code null}. At most
     * {@link dev.llmharness.api.Limits#MAX_DURATION}, as every declared duration: one bound for
     * every duration option that reads through here (windows, warmups, timeouts, intervals, a
     * release gate's tests).
     *
     * @throws CommandLine.ParameterException naming the option or property and the value
     */
    static Duration duration(CommandSpec spec, String optionName, String text, boolean zeroAllowed) {
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, optionName, text, e.getMessage());
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw invalid(spec, optionName, text, "the duration must be " + (zeroAllowed ? ">= 0" : "> 0"));
        }
        String tooLong = dev.llmharness.api.Limits.aboveMaxDuration("a duration", d);
        if (tooLong != null) {
            throw invalid(spec, optionName, text.strip(), tooLong + "; check the unit (m is minutes, h hours)");
        }
        return d;
    }

    /**
     * A number that must be finite and greater than 0 (a scale factor).
     *
     * @throws CommandLine.ParameterException naming the option or property and the value
     */
    static double positive(CommandSpec spec, String optionName, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(spec, optionName, value, "must be a finite number > 0, e.g. 0.5 or 2");
        }
        return value;
    }

    /**
     * A setting's option ({@code --transport}), read by its {@link Choice}: {@code null} or blank
     * text gives the setting's property, else its value when not set.
     *
     * @throws CommandLine.ParameterException naming the option or property, the value and the
     *     accepted values
     */
    public static <T> T choice(CommandSpec spec, Choice<T> setting, String text) {
        try {
            return setting.parse(text);
        } catch (IllegalArgumentException e) {
            if (text == null || text.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            throw invalid(spec, setting.option(), text.strip(), "use " + setting.accepted());
        }
    }

    /**
     * A server URL option ({@code --url}), checked by {@link ServerUrl} before any load.
     *
     * @return the URL without the blanks around it, or {@code null} when not given (blank)
     * @throws CommandLine.ParameterException naming the option or property, the value and what to
     *     write
     */
    public static String url(CommandSpec spec, String optionName, String text) {
        String why = ServerUrl.problem(text);
        if (why != null) {
            throw invalid(spec, optionName, text.strip(), why);
        }
        return text == null || text.isBlank() ? null : text.strip();
    }

    static CommandLine.ParameterException invalid(CommandSpec spec, String optionName, Object value, String why) {
        return new CommandLine.ParameterException(
                spec.commandLine(), "invalid " + written(spec, optionName, value) + ": " + why);
    }
}
