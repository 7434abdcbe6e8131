package dev.llmharness.runtime.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small HTTP/1.1 server on 127.0.0.1 that streams scripted chunks with exact delays between them,
 * for tests where MockWebServer's throttling cannot place each event in time. Answers {@code GET
 * /v1/models} with one model; hands every other request to the script function. Keeps connections
 * alive; {@link #close()} closes every socket and joins nothing left running.
 */
public final class StreamingTestServer implements AutoCloseable {
    /**
     * One chunk written after a gate and a pause.
     *
     * @param delayMillis pause before the chunk, ms, {@code >= 0}; {@link #UNTIL_CLOSED} for a
     *     pause that only {@link #close()} ends (a stall no timeout of a test can outlast)
     * @param text the chunk
     * @param gate waited for before the pause, on the connection's thread: an event of the client
     *     the chunk must not be written before (see {@link Gate})
     */
    public record Step(long delayMillis, String text, Gate gate) {
        /** A chunk written after a pause alone. */
        public Step(long delayMillis, String text) {
            this(delayMillis, text, Gate.OPEN);
        }

        /** A chunk the server never gets to write: it holds the stream open until {@link #close()}. */
        public static Step untilClosed(String text) {
            return new Step(UNTIL_CLOSED, text);
        }
    }

    /** A pause ({@link Step#delayMillis()}) that ends only when the server closes. */
    public static final long UNTIL_CLOSED = Long.MAX_VALUE;

    /**
     * What a step waits for before its pause: an event of the client (e.g. that it has read the
     * chunk before), so that a test orders the server's writes by the client's reads rather than by
     * sleeps that a loaded machine can outlast. A gate that gives up throws {@link IOException},
     * which ends the connection without the rest of the answer.
     */
    @FunctionalInterface
    public interface Gate {
        Gate OPEN = () -> {};

        void await() throws IOException, InterruptedException;
    }

    /**
     * What to answer.
     *
     * @param status HTTP status
     * @param contentType content type
     * @param steps chunks of the body, each after its delay
     * @param cut whether to close the socket after the steps, without ending the chunked body
     */
    public record Script(int status, String contentType, List<Step> steps, boolean cut) {
        public static Script sse(List<Step> steps) {
            return new Script(200, "text/event-stream", steps, false);
        }
    }

    /** A request as received, with its arrival instant ({@code nanoTime}). */
    public record Received(String method, String path, Map<String, String> headers, String body, long nanos) {}

    private final Function<Received, Script> script;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> writes = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final LoopbackServer server;
    private volatile boolean closed;

    public StreamingTestServer(Function<Received, Script> script) throws IOException {
        this.script = script;
        this.server = new LoopbackServer("test-server", 200, this::serve);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Largest number of scripted (non-probe) requests being answered at once. */
    public int maxConcurrent() {
        return maxActive.get();
    }

    /** Answers the requests of one connection; returns to close it. */
    private void serve(InputStream in, OutputStream out) throws IOException, InterruptedException {
        while (!closed) {
            Received r = readRequest(in);
            if (r == null) {
                return;
            }
            if (r.method().equals("GET") && r.path().equals("/v1/models")) {
                byte[] body = "{\"object\":\"list\",\"data\":[{\"id\":\"test-model\",\"object\":\"model\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer: test-server/1\r\n"
                                + "Content-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                continue;
            }
            received.add(r);
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                List<Long> instants = new CopyOnWriteArrayList<>();
                writes.put(r.headers().getOrDefault("x-llmh-request-id", "?"), instants);
                if (!answer(script.apply(r), out, instants)) {
                    return;
                }
            } finally {
                active.decrementAndGet();
            }
        }
    }

    /**
     * The instant ({@code nanoTime}, same clock as the client in this JVM) just before each step of
     * the answer to request {@code requestId} was written to the socket: the server's own
     * timestamps, a lower bound of when the client can read the step.
     */
    public List<Long> writeInstants(String requestId) {
        return List.copyOf(writes.getOrDefault(requestId, List.of()));
    }

    private static boolean answer(Script s, OutputStream out, List<Long> instants)
            throws IOException, InterruptedException {
        out.write(("HTTP/1.1 " + s.status() + " X\r\nContent-Type: " + s.contentType()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (Step step : s.steps()) {
            step.gate().await();
            if (step.delayMillis() > 0) {
                Thread.sleep(step.delayMillis());
            }
            byte[] b = step.text().getBytes(StandardCharsets.UTF_8);
            instants.add(System.nanoTime());
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        if (s.cut()) {
            return false;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    /** Reads one request (head, and a body of its Content-Length); {@code null} at the connection's end. */
    static Received readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        long nanos = System.nanoTime();
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Received(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8), nanos);
    }

    /** One line without its CR LF (ASCII), or {@code null} at the stream's end. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** SSE chat chunks: one {@code data:} event per text, then usage and {@code [DONE]}. */
    public static List<Step> chatStream(long firstDelayMillis, long gapMillis, String... texts) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(
                0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"));
        for (int i = 0; i < texts.length; i++) {
            steps.add(new Step(
                    i == 0 ? firstDelayMillis : gapMillis,
                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + texts[i] + "\"}}]}\n\n"));
        }
        steps.add(new Step(
                0,
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":" + texts.length
                        + ",\"total_tokens\":" + (7 + texts.length) + "}}\n\n"));
        steps.add(new Step(0, "data: [DONE]\n\n"));
        return steps;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
