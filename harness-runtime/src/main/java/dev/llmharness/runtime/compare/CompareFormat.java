package dev.llmharness.runtime.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.llmharness.runtime.result.ResultJson;
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

    /** Reads {@code terminal}, {@code markdown} or {@code json}, in any case. */
    public static CompareFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "': use terminal, markdown or json", e);
        }
    }
}
