package dev.llmharness.runtime.observe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Prometheus text exposition format (0.0.4, and the OpenMetrics text that servers send
 * in its place): {@code # TYPE} lines and samples; {@code # HELP}, other comments, exemplars and
 * timestamps are skipped. The official Java client writes this format but has no parser, so this
 * small one is tested against real expositions (llama.cpp's, the simulator's, vLLM's layout).
 */
public final class PromText {
    private PromText() {}

    /**
     * One sample line.
     *
     * @param name the sample's name as written ({@code vllm:e2e_request_latency_seconds_bucket})
     * @param labels its labels in the order written
     * @param value its value ({@code NaN} and infinities included)
     */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** {@code name{a="1",b="2"}}, the key an unknown series is kept under. */
        public String key() {
            if (labels.isEmpty()) {
                return name;
            }
            StringBuilder b = new StringBuilder(name).append('{');
            labels.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",")
                    .append(k)
                    .append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"'));
            return b.append('}').toString();
        }
    }

    /**
     * A parsed exposition.
     *
     * @param samples every sample in order
     * @param types metric family name to its declared type ({@code counter}, {@code gauge}, {@code
     *     histogram}, {@code summary}, {@code untyped}...)
     */
    public record Exposition(List<Sample> samples, Map<String, String> types) {}

    /**
     * Parses an exposition.
     *
     * @throws IllegalArgumentException naming the line when a sample line cannot be read
     */
    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("\\s+", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    types.put(parts[2], parts[3].strip());
                }
                continue;
            }
            try {
                samples.add(sample(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "line " + lineNo + " is not a Prometheus sample (" + e.getMessage() + "): " + shorten(line), e);
            }
        }
        return new Exposition(samples, types);
    }

    private static Sample sample(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, String> labels = Collections.emptyMap();
        if (i < n && line.charAt(i) == '{') {
            labels = new LinkedHashMap<>();
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (i >= n) {
                    throw new IllegalArgumentException("unclosed label set");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '='");
                }
                String label = line.substring(i, eq).strip();
                i = skipSpaces(line, eq + 1);
                if (i >= n || line.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value of " + label + " is not quoted");
                }
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unclosed label value of " + label);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\' && i < n) {
                        char e = line.charAt(i++);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = skipSpaces(line, i);
                if (i < n && line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        i = skipSpaces(line, i);
        int end = i;
        while (end < n && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        if (end == i) {
            throw new IllegalArgumentException("no value");
        }
        return new Sample(name, labels, value(line.substring(i, end)));
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static String shorten(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
