package dev.llmharness.runtime.metrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Why a trial's requests failed, in words: the distinct failure messages of each {@link
 * FailureCategory} with how many requests failed with each. Bounded whatever the server sends:
 * each category keeps its first {@value #MAX_MESSAGES_PER_CATEGORY} distinct messages (after
 * {@linkplain #normalise normalisation}), each at most {@value #MAX_MESSAGE_CHARS} characters, and
 * counts the failures whose message came later in {@code others}; a million distinct messages cost
 * no more memory than ten.
 *
 * <p>Thread-safe: request threads call {@link #record} as their requests fail (only failures pay
 * for it; a completed request never touches this class).
 */
public final class FailureLog {
    /** Distinct messages kept per category; later distinct messages are counted in {@code others}. */
    public static final int MAX_MESSAGES_PER_CATEGORY = 10;

    /** Longest message kept, in characters; longer ones are cut and end with {@code "..."}. */
    public static final int MAX_MESSAGE_CHARS = 300;

    /** The message recorded for a failure that came without one. */
    public static final String NO_MESSAGE = "(no message)";

    /** Ids that differ per request: UUIDs, and hex strings of 8+ characters with a digit. */
    private static final Pattern IDS =
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"
                    + "|\\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");

    /**
     * Free-standing numbers (a request id, a token count, a port, an address), but not the status
     * after {@code "HTTP "} and not digits inside a word ({@code http_500}, {@code PT5S}).
     */
    private static final Pattern NUMBERS = Pattern.compile("(?<!HTTP )(?<![\\w.])\\d+(?:\\.\\d+)*(?![\\w])");

    private final EnumMap<FailureCategory, CategoryLog> categories = new EnumMap<>(FailureCategory.class);

    public FailureLog() {
        for (FailureCategory c : FailureCategory.values()) {
            categories.put(c, new CategoryLog());
        }
    }

    /** Notes one failed request of {@code category} with its detail ({@code null}: no message). */
    public void record(FailureCategory category, String detail) {
        categories.get(category).record(detail);
    }

    /** The messages so far, for the categories that had failures, in category order. */
    public Map<String, Messages> snapshot() {
        Map<String, Messages> out = new LinkedHashMap<>();
        categories.forEach((c, log) -> {
            Messages m = log.snapshot();
            if (!m.messages().isEmpty() || m.others() > 0) {
                out.put(c.key(), m);
            }
        });
        return out;
    }

    /**
     * The grouping key of a message: cut to {@link #MAX_MESSAGE_CHARS}, with free-standing numbers
     * replaced by {@code <n>} and per-request ids by {@code <id>}, so that {@code "request 17
     * failed"} and {@code "request 4711 failed"} count as one message. The status in {@code "HTTP
     * 503"} is kept: it says which error it was.
     */
    public static String normalise(String detail) {
        String text = truncate(detail);
        text = IDS.matcher(text).replaceAll("<id>");
        return NUMBERS.matcher(text).replaceAll("<n>");
    }

    /** The detail as kept for display: stripped, {@link #NO_MESSAGE} when empty, cut to length. */
    public static String truncate(String detail) {
        String text = detail == null ? "" : detail.strip();
        if (text.isEmpty()) {
            return NO_MESSAGE;
        }
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }

    /**
     * One distinct message.
     *
     * @param message the normalised message (the grouping key)
     * @param example the first message seen in this group, as the request reported it (cut to
     *     length)
     * @param count failed requests with this message, {@code >= 1}
     */
    public record Message(String message, String example, long count) {}

    /**
     * The messages of one category.
     *
     * @param messages at most {@link #MAX_MESSAGES_PER_CATEGORY}, most frequent first (ties: first
     *     seen first)
     * @param others failed requests of this category whose message is not in {@code messages}
     */
    public record Messages(List<Message> messages, long others) {
        public Messages {
            messages = List.copyOf(messages);
        }
    }

    private static final class CategoryLog {
        private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
        private final Map<String, String> examples = new LinkedHashMap<>();
        private long others;

        synchronized void record(String detail) {
            String key = normalise(detail);
            long[] count = counts.get(key);
            if (count != null) {
                count[0]++;
            } else if (counts.size() < MAX_MESSAGES_PER_CATEGORY) {
                counts.put(key, new long[] {1});
                examples.put(key, truncate(detail));
            } else {
                others++;
            }
        }

        synchronized Messages snapshot() {
            List<Message> list = new ArrayList<>();
            counts.forEach((k, v) -> list.add(new Message(k, examples.get(k), v[0])));
            list.sort(java.util.Comparator.comparingLong(Message::count).reversed());
            return new Messages(list, others);
        }
    }
}
