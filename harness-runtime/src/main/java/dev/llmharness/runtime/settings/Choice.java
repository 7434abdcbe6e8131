package dev.llmharness.runtime.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * One setting that takes one of a few labelled values, from its system property ({@code
 * -Dllmh.transport=event-loop}) or its option ({@code --transport event-loop}), and the one way
 * every such setting is read. Labels are matched ignoring case and surrounding blanks; a value
 * that is not set (absent or blank) is {@link #unset()}; anything else is an {@link
 * IllegalArgumentException} whose message is one line naming the property or option, the value
 * and the accepted values, e.g. {@code invalid -Dllmh.loopDispatch=lop: use thread or loop}. The
 * commands report that family of exception as bad input (exit code 2), so a misspelt setting is
 * never a silent default.
 *
 * <p>A setting may accept more than its labels: aliases ({@link #alias}, accepted but not listed)
 * and free-form values such as a number ({@link #orElse}). A command-line option with a fixed set
 * of values but no property ({@code llmh compare --format}) is a setting too, whose property is
 * {@code null}: every such option of every command is read by this type, and {@code
 * cli/OptionChoices} lists them (a test holds every command's options to that list). Immutable and
 * thread-safe.
 *
 * @param <T> the setting's value
 */
public final class Choice<T> {
    private final String property;
    private final String option;
    private final Map<String, T> labels;
    private final List<String> listed;
    private final T unset;
    private final String otherwise;
    private final Function<String, T> other;

    private Choice(
            String property,
            String option,
            Map<String, T> labels,
            List<String> listed,
            T unset,
            String otherwise,
            Function<String, T> other) {
        if (property == null && option == null) {
            throw new IllegalArgumentException("a setting has a property, an option or both");
        }
        this.property = property;
        this.option = option;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        this.listed = List.copyOf(listed);
        this.unset = unset;
        this.otherwise = otherwise;
        this.other = other;
    }

    /**
     * The setting whose values are {@code values}, each written as {@code label} gives it.
     *
     * @param property the system property, e.g. {@code llmh.transport}, or {@code null} when there
     *     is none (the option is the only way to set it)
     * @param option the command-line option, e.g. {@code --transport}, or {@code null} when there is
     *     none (the property is the only way to set it)
     * @param unset the value when the setting is not set
     */
    public static <E extends Enum<E>> Choice<E> ofEnum(
            String property, String option, E[] values, Function<E, String> label, E unset) {
        Map<String, E> labels = new LinkedHashMap<>();
        for (E v : values) {
            labels.put(label.apply(v), v);
        }
        return of(property, option, labels, unset);
    }

    /**
     * The setting whose values are those of {@code labels}, listed in its order and as written
     * there (matched ignoring case).
     *
     * @param property the system property, e.g. {@code llmh.preopen}, or {@code null} when there is
     *     none
     * @param option the command-line option, or {@code null} when there is none
     * @param unset the value when the setting is not set
     */
    public static <T> Choice<T> of(String property, String option, Map<String, T> labels, T unset) {
        Map<String, T> lower = new LinkedHashMap<>();
        labels.forEach((label, value) -> lower.put(label.toLowerCase(Locale.ROOT), value));
        return new Choice<>(property, option, lower, new ArrayList<>(labels.keySet()), unset, null, null);
    }

    /**
     * The setting whose values are the words {@code labels} themselves, listed in their order; e.g.
     * {@code test} or {@code main}.
     *
     * @param unset the value when the setting is not set, which may be {@code null} ("not given")
     */
    public static Choice<String> ofLabels(String property, String option, List<String> labels, String unset) {
        Map<String, String> same = new LinkedHashMap<>();
        labels.forEach(l -> same.put(l, l));
        return of(property, option, same, unset);
    }

    /**
     * A {@code true} or {@code false} setting; {@code unset} when not set, which may be {@code
     * null} ("not given": e.g. each trial's own).
     */
    public static Choice<Boolean> ofBoolean(String property, String option, Boolean unset) {
        Map<String, Boolean> labels = new LinkedHashMap<>();
        labels.put("true", Boolean.TRUE);
        labels.put("false", Boolean.FALSE);
        return of(property, option, labels, unset);
    }

    /**
     * A whole-number setting of at least {@code min}; {@code unset} (which may be {@code null}:
     * "not given") when not set.
     */
    public static Choice<Integer> ofWholeNumber(String property, String option, int min, Integer unset) {
        return ofWholeNumber(property, option, min, Integer.MAX_VALUE, unset);
    }

    /**
     * A whole-number setting from {@code min} to {@code max}, e.g. runs a side up to {@code
     * Limits.MAX_FORKS}; {@code unset} (which may be {@code null}: "not given") when not set.
     */
    public static Choice<Integer> ofWholeNumber(String property, String option, int min, int max, Integer unset) {
        String description =
                max == Integer.MAX_VALUE ? "a whole number >= " + min : "a whole number from " + min + " to " + max;
        return new Choice<Integer>(property, option, Map.of(), List.of(), unset, null, null)
                .orElse(description, text -> {
                    try {
                        int n = Integer.parseInt(text);
                        return n >= min && n <= max ? n : null;
                    } catch (NumberFormatException e) {
                        return null;
                    }
                });
    }

    /** This setting, also accepting {@code label} for {@code value} without listing it in messages. */
    public Choice<T> alias(String label, T value) {
        Map<String, T> more = new LinkedHashMap<>(labels);
        more.put(label.toLowerCase(Locale.ROOT), value);
        return new Choice<>(property, option, more, listed, unset, otherwise, other);
    }

    /**
     * This setting, also accepting what {@code parser} accepts (given the stripped text; it returns
     * {@code null} for a value it does not accept), listed in messages as {@code description}.
     */
    public Choice<T> orElse(String description, Function<String, T> parser) {
        return new Choice<>(
                property,
                option,
                labels,
                listed,
                unset,
                Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(parser, "parser"));
    }

    /** The system property, e.g. {@code llmh.transport}, or {@code null} when there is none. */
    public String property() {
        return property;
    }

    /** The command-line option, e.g. {@code --transport}, or {@code null} when there is none. */
    public String option() {
        return option;
    }

    /** The value when the setting is not set. */
    public T unset() {
        return unset;
    }

    /** The accepted values as messages name them: {@code threads or event-loop}. */
    public String accepted() {
        List<String> all = new ArrayList<>(listed);
        if (otherwise != null) {
            all.add(otherwise);
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    }

    /**
     * The value of the option's text; {@code null} or blank gives {@link #fromProperty()}.
     *
     * @throws IllegalArgumentException naming the option (or the property, when the setting has no
     *     option), the value and the accepted values
     */
    public T parse(String text) {
        if (text == null || text.isBlank()) {
            return fromProperty();
        }
        return read(text, option != null ? option + " " + text.strip() : "-D" + property + "=" + text.strip());
    }

    /**
     * The system property's value, else {@link #unset()}.
     *
     * @throws IllegalArgumentException naming the property, the value and the accepted values
     */
    public T fromProperty() {
        return from(System.getProperties());
    }

    /**
     * The value {@code properties} give the setting, else {@link #unset()}.
     *
     * @throws IllegalArgumentException naming the property, the value and the accepted values
     */
    public T from(Properties properties) {
        if (property == null) {
            return unset;
        }
        String text = properties.getProperty(property);
        if (text == null || text.isBlank()) {
            return unset;
        }
        return read(text, "-D" + property + "=" + text.strip());
    }

    /** Whether {@code text} is one of the accepted values. */
    public boolean accepts(String text) {
        return text != null && !text.isBlank() && lookup(text) != null;
    }

    private T read(String text, String written) {
        T value = lookup(text);
        if (value == null) {
            throw new IllegalArgumentException("invalid " + written + ": use " + accepted());
        }
        return value;
    }

    private T lookup(String text) {
        String t = text.strip();
        T value = labels.get(t.toLowerCase(Locale.ROOT));
        if (value == null && other != null) {
            value = other.apply(t);
        }
        return value;
    }

    @Override
    public String toString() {
        String name = property == null ? option : property + (option == null ? "" : " (" + option + ")");
        return name + ": " + accepted();
    }
}
