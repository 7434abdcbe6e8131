package dev.llmharness.runtime.tokenize;

import dev.llmharness.api.Prompt;
import dev.llmharness.runtime.data.PromptSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A trial's prompts with what the server's tokenizer says about them ({@link #check()}), and,
 * when sized, rewritten so that the server counts exactly the intended tokens.
 *
 * <p>Sizing happens before any load. Each prompt of the first {@link #count(long)} indices is
 * counted by the server; while the count is off, words are trimmed from its end or appended (words
 * of its own text, short ones when one or two tokens are missing) by the estimated number, and the
 * server counts again, at most {@link #MAX_ROUND_TRIPS} times per prompt. The shared prefix and the
 * marker words after it are never trimmed, so a prefix cache sees the same prefix. A prompt left
 * inexact keeps its closest version and is counted in {@link ServerTokenCheck#worstOff()}. Prompts
 * beyond the sized ones (a timed trial longer than {@link #MAX_SIZED} requests) keep the workload
 * encoding's size.
 *
 * <p>For a chat API on a server that tokenizes messages (vLLM), the count that is made exact
 * includes the chat template; otherwise it is the raw text's and the template comes on top.
 */
public final class ServerSizedPrompts implements PromptSource {
    /** Most {@code POST /tokenize} requests per prompt. */
    public static final int MAX_ROUND_TRIPS = 8;

    /** Most prompts sized per trial. */
    public static final int MAX_SIZED = 4096;

    /** Prompts counted, not sized, to estimate the tokenizer's share of a difference. */
    static final int SAMPLE = 32;

    private final PromptSource base;
    private final Prompt[] sized;
    private final java.util.function.Supplier<ServerTokenCheck> later;
    private ServerTokenCheck check;
    private boolean asked;

    private ServerSizedPrompts(PromptSource base, Prompt[] sized, ServerTokenCheck check) {
        this.base = base;
        this.sized = sized;
        this.check = check;
        this.later = null;
        this.asked = true;
    }

    private ServerSizedPrompts(PromptSource base, java.util.function.Supplier<ServerTokenCheck> later) {
        this.base = base;
        this.sized = new Prompt[0];
        this.later = later;
    }

    /**
     * The prompts of {@code base} unchanged, whose {@link #check()} asks the server only when first
     * called (after the trial's load, so that the check neither delays nor disturbs it).
     *
     * @param later the check, or {@code null} when the server has no tokenizer
     */
    public static ServerSizedPrompts checkedLater(
            PromptSource base, java.util.function.Supplier<ServerTokenCheck> later) {
        return new ServerSizedPrompts(base, later);
    }

    /** What the server's tokenizer said about these prompts, or {@code null} when it has none. */
    public synchronized ServerTokenCheck check() {
        if (!asked) {
            asked = true;
            check = later.get();
        }
        return check;
    }

    @Override
    public Prompt prompt(long index) {
        return index < sized.length ? sized[(int) index] : base.prompt(index);
    }

    /**
     * The base's when no prompt was resized; else none, as a resized prompt's {@link
     * Prompt#inputTokens()} is the server's count.
     */
    @Override
    public String exactEncoding() {
        return sized.length == 0 ? base.exactEncoding() : null;
    }

    /**
     * The prompts to size for a trial of {@code plannedRequests} requests ({@code 0}: timed, not
     * known): the planned ones plus a margin for requests in flight at the window's end, at most
     * {@link #MAX_SIZED}.
     */
    public static int count(long plannedRequests) {
        if (plannedRequests <= 0) {
            return MAX_SIZED;
        }
        return (int) Math.min(MAX_SIZED, plannedRequests + plannedRequests / 10 + 64);
    }

    /**
     * Counts the first {@link #SAMPLE} prompts in the server's tokenizer without changing them.
     *
     * @param chat whether the trial sends chat messages
     * @throws IOException when the server stops answering
     */
    public static ServerSizedPrompts sample(PromptSource base, ServerTokenizer server, boolean chat)
            throws IOException {
        long intended = 0;
        long raw = 0;
        long trips = 0;
        double template = 0;
        for (int i = 0; i < SAMPLE; i++) {
            Prompt p = base.prompt(i);
            intended += p.inputTokens();
            int r = server.count(p.text());
            raw += r;
            trips++;
            if (chat && server.countsChat()) {
                template += server.countChat(p.text()) - r;
                trips++;
            }
        }
        Double perPrompt = chat ? (server.countsChat() ? template / SAMPLE : null) : Double.valueOf(0);
        return new ServerSizedPrompts(
                base,
                new Prompt[0],
                new ServerTokenCheck(server.endpoint(), false, SAMPLE, intended, raw, perPrompt, 0, 0, trips, raw));
    }

    /**
     * Sizes the first {@code count} prompts of {@code base} in the server's tokenizer.
     *
     * @param chat whether the trial sends chat messages
     * @throws IOException when the server stops answering
     */
    public static ServerSizedPrompts size(PromptSource base, ServerTokenizer server, boolean chat, int count)
            throws IOException {
        boolean withTemplate = chat && server.countsChat();
        int floor = protectedLength(base, count);
        Prompt[] out = new Prompt[count];
        long intended = 0;
        long before = 0;
        long trips = 0;
        int exact = 0;
        int worst = 0;
        double template = 0;
        int templateSamples = 0;
        for (int i = 0; i < count; i++) {
            Prompt p = base.prompt(i);
            int target = p.inputTokens();
            String text = p.text();
            Counter counter = t -> withTemplate ? server.countChat(t) : server.count(t);
            int c = counter.count(text);
            before += c;
            int trip = 1;
            String best = text;
            int bestOff = Math.abs(c - target);
            List<String> own = words(text.substring(Math.min(floor, text.length())));
            int next = 0;
            while (c != target && trip < MAX_ROUND_TRIPS) {
                int words = Math.max(1, own.size());
                double perWord = Math.max(1.0, (double) c / Math.max(1, countWords(text)));
                if (c > target) {
                    int drop = Math.max(1, (int) Math.floor((c - target) / perWord));
                    String cut = dropLastWords(text, drop, floor);
                    if (cut.equals(text)) {
                        break; // nothing left to trim above the protected prefix
                    }
                    text = cut;
                } else {
                    int missing = target - c;
                    int add = Math.max(1, (int) Math.floor(missing / perWord));
                    StringBuilder b = new StringBuilder(text);
                    for (int k = 0; k < add; k++) {
                        String w = missing <= 2 ? shortWord(own, next) : own.isEmpty() ? "the" : own.get(next % words);
                        next++;
                        if (b.length() > 0 && !Character.isWhitespace(b.charAt(b.length() - 1))) {
                            b.append(' ');
                        }
                        b.append(w);
                    }
                    text = b.toString();
                }
                c = counter.count(text);
                trip++;
                if (Math.abs(c - target) < bestOff) {
                    best = text;
                    bestOff = Math.abs(c - target);
                }
            }
            trips += trip;
            if (bestOff == 0) {
                exact++;
            }
            worst = Math.max(worst, bestOff);
            intended += target;
            if (withTemplate && i < SAMPLE) {
                template += c - server.count(best);
                templateSamples++;
                trips++;
            }
            out[i] = new Prompt(p.index(), best, target, p.outputTokens(), p.exactOutput(), p.reference());
        }
        Double perPrompt = !chat ? Double.valueOf(0) : templateSamples > 0 ? template / templateSamples : null;
        // With the template inside the sized count, the raw text is that much shorter.
        long raw = withTemplate && perPrompt != null ? intended - Math.round(perPrompt * count) : intended;
        return new ServerSizedPrompts(
                base,
                out,
                new ServerTokenCheck(
                        server.endpoint(), true, count, intended, raw, perPrompt, exact, worst, trips, before));
    }

    private interface Counter {
        int count(String text) throws IOException;
    }

    /**
     * Characters never trimmed: the text all prompts share (the shared prefix) and the four marker
     * words after it, read from the first two prompts.
     */
    private static int protectedLength(PromptSource base, int count) {
        if (count < 2) {
            return 0;
        }
        String a = base.prompt(0).text();
        String b = base.prompt(1).text();
        int common = 0;
        while (common < a.length() && common < b.length() && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        int cut = a.lastIndexOf(' ', common);
        int at = Math.max(0, cut);
        for (int w = 0; w < 5 && at >= 0 && at < a.length(); w++) {
            at = a.indexOf(' ', at + 1);
        }
        return at < 0 ? 0 : at;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static int countWords(String text) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !in) {
                n++;
            }
            in = !space;
        }
        return n;
    }

    /** A short word of {@code own} (one token in every tokenizer in practice), in turn. */
    private static String shortWord(List<String> own, int next) {
        List<String> shorts = new ArrayList<>();
        for (String w : own) {
            if (w.length() <= 3 && w.chars().allMatch(Character::isLetter)) {
                shorts.add(w);
            }
        }
        return shorts.isEmpty() ? "a" : shorts.get(next % shorts.size());
    }

    private static String dropLastWords(String text, int drop, int floor) {
        int end = text.length();
        for (int k = 0; k < drop; k++) {
            int space = text.lastIndexOf(' ', end - 1);
            if (space <= floor) {
                break;
            }
            end = space;
        }
        return text.substring(0, end);
    }
}
