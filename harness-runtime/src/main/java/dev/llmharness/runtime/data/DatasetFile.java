package dev.llmharness.runtime.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a dataset's bytes come from: a file path (relative to the working directory) or a
 * {@code classpath:} resource. Opening fails with a {@link WorkloadException} naming both the
 * path as written and where it was looked for.
 *
 * @param location the path as the user wrote it, used in every error message
 */
record DatasetFile(String location) {
    private static final String CLASSPATH = "classpath:";

    /** The file name's extension in lower case, without the dot; empty when there is none. */
    String extension() {
        String name = location.substring(location.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    InputStream open() {
        if (location.startsWith(CLASSPATH)) {
            String name = location.substring(CLASSPATH.length());
            String resource = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            InputStream in =
                    (loader != null ? loader : DatasetFile.class.getClassLoader()).getResourceAsStream(resource);
            if (in == null) {
                throw new WorkloadException("dataset resource not found on the class path: " + location
                        + "; put the file under src/main/resources or src/test/resources, or give a file path");
            }
            return in;
        }
        Path path = Path.of(location);
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            String what = Files.isDirectory(path) ? "is a directory, not a file" : "not found";
            throw new WorkloadException("dataset file " + what + ": " + location + " (looked for " + absolute
                    + "; working directory " + Path.of("").toAbsolutePath()
                    + "). Download the dataset (see docs/workloads.md) or fix the path in @Dataset(path = ...)");
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new WorkloadException("cannot read " + location + " (" + absolute + "): " + why(e), e);
        }
    }

    /** Bytes looked at for a NUL, which no text file holds. */
    private static final int SNIFF_BYTES = 8192;

    /**
     * The file as UTF-8 text. A file with a NUL byte near its start (a compressed or binary file
     * given by mistake) is refused before any parser sees it, and bytes that are not UTF-8 fail the
     * read ({@link #readFailure}) instead of becoming replacement characters in prompts.
     */
    BufferedReader openReader() {
        BufferedInputStream in = new BufferedInputStream(open(), 1 << 16);
        try {
            in.mark(SNIFF_BYTES);
            byte[] head = in.readNBytes(SNIFF_BYTES);
            in.reset();
            if (head.length >= 2
                    && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
                            || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
                // What Windows PowerShell's > and Out-File, and Notepad's "Unicode", write.
                in.close();
                throw new WorkloadException(location + " is UTF-16 text (it starts with a UTF-16 byte-order mark):"
                        + " save it as UTF-8 (e.g. Out-File -Encoding utf8, or \"UTF-8\" in the editor's Save As)");
            }
            for (byte b : head) {
                if (b == 0) {
                    in.close();
                    throw new WorkloadException(location + " is not a text file (it holds NUL bytes, as a compressed"
                            + " or binary file does): give the uncompressed CSV or JSON file");
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, utf8), 1 << 16);
    }

    /** An I/O failure while reading, as a workload error naming the file and the cause in words. */
    WorkloadException readFailure(IOException e) {
        if (e instanceof CharacterCodingException) {
            long line = firstLineNotUtf8();
            return new WorkloadException(
                    location + (line > 0 ? " line " + line : "")
                            + " is not UTF-8 text (a binary file, or text in another encoding): save it as UTF-8",
                    e);
        }
        return new WorkloadException("cannot read " + location + ": " + why(e), e);
    }

    /**
     * The 1-based line holding the file's first byte sequence that is not UTF-8, or 0 when the file
     * cannot be read again or holds none. A reader that failed to decode cannot say where: it decodes
     * a buffer ahead of the line its parser is on. So the error path reads the file once more, from
     * the start, and counts the line feeds before the bad bytes (a 0x0A byte is never part of a
     * multi-byte UTF-8 sequence, so counting bytes counts lines).
     */
    long firstLineNotUtf8() {
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] buffer = new byte[1 << 16];
        ByteBuffer bytes = ByteBuffer.wrap(buffer);
        // UTF-8 never decodes to more chars than it has bytes, so the decoder cannot overflow this.
        CharBuffer chars = CharBuffer.allocate(buffer.length);
        long line = 1;
        try (InputStream in = open()) {
            while (true) {
                int n = in.read(buffer, bytes.position(), bytes.remaining());
                boolean end = n < 0;
                if (n > 0) {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
                int from = bytes.position();
                CoderResult result = utf8.decode(bytes, chars, end);
                for (int i = from; i < bytes.position(); i++) {
                    if (buffer[i] == '\n') {
                        line++;
                    }
                }
                if (result.isError()) {
                    return line;
                }
                if (end) {
                    return 0;
                }
                chars.clear();
                bytes.compact();
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The error for text that is not UTF-8 when {@code e} or one of its causes is that failure (a
     * parser may wrap it), else {@code null}.
     */
    WorkloadException encodingFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException c) {
                return readFailure(c);
            }
        }
        return null;
    }

    /** What went wrong, in words, without the exception's class name. */
    static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? "an I/O error" : e.getMessage();
    }

    /**
     * Text from the file as a message may quote it: control characters shown as {@code ?} (a
     * terminal would act on them) and at most 200 characters, so that a line stays a line.
     */
    static String printable(Object text) {
        String s = String.valueOf(text);
        StringBuilder b = new StringBuilder(Math.min(s.length(), 201));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
