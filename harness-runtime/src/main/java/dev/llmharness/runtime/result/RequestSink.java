package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.RequestTiming;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each measured request goes as it ends: the per-request CSV, the inter-token JSONL. A sink
 * writes a request at once and keeps nothing about it, so a run of any length holds no request in
 * memory for it. Implementations are thread-safe (request threads call {@link #write}), and never
 * throw from {@link #write}: a file that cannot be written stops being written, and {@link
 * #close} reports it.
 */
public interface RequestSink extends Closeable {
    /** Writes one ended, measured request of trial {@code trialId}. */
    void write(String trialId, RequestTiming t);

    /**
     * Characters of prompt and response text this sink writes per request; {@code 0} for none. The
     * runner asks each request to keep that much text, and no more.
     */
    default int textChars() {
        return 0;
    }

    /**
     * Flushes and closes the file.
     *
     * @throws java.io.UncheckedIOException naming the file when it could not be written completely
     */
    @Override
    void close();

    /** One sink writing to each of {@code sinks} in turn; {@code null} when there is none. */
    static RequestSink all(List<RequestSink> sinks) {
        List<RequestSink> present = new ArrayList<>();
        for (RequestSink s : sinks) {
            if (s != null) {
                present.add(s);
            }
        }
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        int chars = present.stream().mapToInt(RequestSink::textChars).max().orElse(0);
        return new RequestSink() {
            @Override
            public void write(String trialId, RequestTiming t) {
                for (RequestSink s : present) {
                    s.write(trialId, t);
                }
            }

            @Override
            public int textChars() {
                return chars;
            }

            @Override
            public void close() {
                java.io.UncheckedIOException first = null;
                for (RequestSink s : present) {
                    try {
                        s.close();
                    } catch (java.io.UncheckedIOException e) {
                        first = first == null ? e : first;
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
