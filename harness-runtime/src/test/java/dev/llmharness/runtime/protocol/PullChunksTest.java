package dev.llmharness.runtime.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pulled framing reads every stream into a chunk reused from the previous stream: a stream
 * still gets exactly its own events when the one before left other bytes in the chunk, when lines
 * cross chunk boundaries, and when many threads read at once.
 */
class PullChunksTest {
    /** {@code events} events of {@code size} bytes each, then the terminator, in {@code framing}. */
    private static String body(Framing framing, String stream, int events, int size) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < events; i++) {
            StringBuilder data = new StringBuilder(stream).append('-').append(i).append(':');
            while (data.length() < size) {
                data.append((char) ('a' + (data.length() + i) % 26));
            }
            b.append(framing == Framing.SSE ? "data: " + data + "\n\n" : data + "\n");
        }
        return b.append(framing == Framing.SSE ? "data: END\n\n" : "END\n").toString();
    }

    private static List<String> pull(Framing framing, String body, Set<byte[]> arrays) throws IOException {
        List<String> events = new ArrayList<>();
        boolean terminated = framing.reader().read(new Buffer().writeUtf8(body), (data, offset, length) -> {
            arrays.add(data);
            String e = new String(data, offset, length, StandardCharsets.UTF_8);
            events.add(e);
            return !e.equals("END");
        });
        assertThat(terminated).isTrue();
        return events;
    }

    private static List<String> expected(String body) {
        List<String> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                events.add(line.startsWith("data: ") ? line.substring(6) : line);
            }
        }
        return events;
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void consecutiveStreamsOnOneThreadGetOnlyTheirOwnEvents(Framing framing) throws IOException {
        Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        // Long events cross the 4 KB chunk's end; short streams leave old bytes behind in it.
        String[] bodies = {
            body(framing, "a", 40, 300),
            body(framing, "b", 3, 20),
            body(framing, "c", 2, 5000),
            body(framing, "d", 1, 10),
            body(framing, "e", 50, 97)
        };
        for (int round = 0; round < 3; round++) {
            for (String body : bodies) {
                assertThat(pull(framing, body, arrays)).isEqualTo(expected(body));
            }
        }
    }

    @Test
    void streamsReadOneAfterAnotherOnOneThreadShareOneChunk() throws IOException {
        Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 20; i++) {
            String body = body(Framing.NDJSON, "s" + i, 5, 50);
            assertThat(pull(Framing.NDJSON, body, arrays)).isEqualTo(expected(body));
        }
        // Each stream fits in one read, and NDJSON hands a line that came whole over from the
        // chunk itself: the handler saw one array, not one per stream.
        assertThat(arrays).hasSize(1);
        assertThat(arrays.iterator().next()).hasSize(FrameReader.PULL_CHUNK_BYTES);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void threadsReadingAtOnceNeverSeeAnotherStreamsBytes(Framing framing) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                String name = "s" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String body = body(framing, name + "." + i, 5 + i % 7, 50 + 211 * (i % 9));
                        assertThat(pull(framing, body, Collections.newSetFromMap(new IdentityHashMap<>())))
                                .isEqualTo(expected(body));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
