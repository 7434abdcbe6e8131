package dev.llmharness.runtime.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.settings.Choice;
import java.util.Locale;

/** How a {@link ComparisonReport} is written. */
public enum CompareFormat {
    /** Aligned columns and verdict words, readable without colour. */
    TERMINAL {
        @Override
        public String render(ComparisonReport report) {
            return TerminalReport.render(report);
        }
    },
    /**
     * GitHub-flavoured Markdown for a pull-request comment; starts with {@link
     * MarkdownReport#MARKER} so that a bot can find and update its comment in place.
     */
    MARKDOWN {
        @Override
        public String render(ComparisonReport report) {
            return MarkdownReport.render(report);
        }
    },
    /** The report as JSON, versioned by {@code compareSchemaVersion}. */
    JSON {
        @Override
        public String render(ComparisonReport report) {
            try {
                return ResultJson.mapper().writeValueAsString(report) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("comparison report does not serialise: " + e.getOriginalMessage(), e);
            }
        }
    };

    /** The report in this format, ending with a newline. */
    public abstract String render(ComparisonReport report);

    /** {@code --format}: {@code terminal} (the default), {@code markdown} or {@code json}. */
    public static final Choice<CompareFormat> SETTING =
            Choice.ofEnum(null, "--format", values(), f -> f.name().toLowerCase(Locale.ROOT), TERMINAL);

    /**
     * Reads {@code terminal}, {@code markdown} or {@code json}, in any case, as {@link #SETTING}
     * does.
     *
     * @throws IllegalArgumentException {@code invalid --format x: use terminal, markdown or json}
     */
    public static CompareFormat parse(String text) {
        return SETTING.parse(text);
    }
}
