package dev.llmharness.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Adapts picocli's writers (which tests capture) to the print streams the engine uses, a line at a
 * time, so that lines from several threads do not interleave.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        writer.print(line.toString(StandardCharsets.UTF_8));
        writer.flush();
        line.reset();
    }
}
