package dev.llmharness.runtime.data;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.ShapeWorkload;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures what synthetic prompts cost: preparing a source, the heap it retains, and the time
 * and allocation of {@link PromptSource#prompt(long)} for 100,000 prompts of 4,096 tokens (the
 * RAG preset) and of 256 tokens (CHAT), single-threaded, each prompt verified by re-encoding;
 * and the time to stream, tokenize and keep a generated 50,000-conversation ShareGPT file.
 * Prints figures; asserts nothing. Run it as described in docs/workloads.md.
 */
public final class PromptPreparationMeasurement {
    private static final int PROMPTS = 100_000;

    private PromptPreparationMeasurement() {}

    public static void main(String[] args) throws IOException {
        int prompts = args.length > 0 ? Integer.parseInt(args[0]) : PROMPTS;
        System.out.printf(
                Locale.ROOT,
                "JVM %s, %d cores, max heap %d MB%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        long start = System.nanoTime();
        Tokenizer tokenizer = Tokenizers.forEncoding(Defaults.ENCODING);
        report("load tokenizer " + Defaults.ENCODING, System.nanoTime() - start);

        start = System.nanoTime();
        PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.RAG, Defaults.ENCODING), 1);
        report("first forWorkload (vocabulary check)", System.nanoTime() - start);

        long before = usedHeapAfterGc();
        start = System.nanoTime();
        PromptSource rag = PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.RAG, Defaults.ENCODING), 42);
        long prepared = System.nanoTime() - start;
        long retained = usedHeapAfterGc() - before;
        report("forWorkload(RAG) once the encoding is loaded", prepared);
        System.out.printf(Locale.ROOT, "heap retained by the prepared RAG source: %,d bytes%n", Math.max(0, retained));

        measure("RAG 4096 tokens", rag, prompts);
        measure(
                "CHAT 256 tokens",
                PromptSources.forWorkload(ShapeWorkload.of(ShapePreset.CHAT, Defaults.ENCODING), 42),
                prompts);
        splitGenerationFromVerification(tokenizer, 4096, 20_000);
        splitGenerationFromVerification(tokenizer, 256, 100_000);
        loadShareGpt(tokenizer, 50_000);
    }

    /** Streams, tokenizes and keeps a generated ShareGPT file of {@code records} conversations. */
    private static void loadShareGpt(Tokenizer tokenizer, int records) throws IOException {
        Path file = Files.createTempFile("sharegpt-measurement", ".json");
        try {
            SyntheticText text = SyntheticText.forTokenizer(tokenizer);
            SplittableRandom random = new SplittableRandom(1);
            try (Writer out = Files.newBufferedWriter(file)) {
                out.write("[\n");
                for (int i = 0; i < records; i++) {
                    StringBuilder prompt = new StringBuilder();
                    StringBuilder answer = new StringBuilder();
                    text.appendSentences(random, 16 + random.nextInt(400), prompt);
                    text.appendSentences(random, 16 + random.nextInt(400), answer);
                    out.write("{\"id\": \"" + i + "\", \"conversations\": [{\"from\": \"human\", \"value\": \""
                            + prompt + "\"}, {\"from\": \"gpt\", \"value\": \"" + answer + "\"}]}"
                            + (i + 1 < records ? ",\n" : "\n"));
                }
                out.write("]\n");
            }
            DatasetWorkload workload = new DatasetWorkload(
                    DatasetFormat.SHAREGPT,
                    file.toString(),
                    "",
                    "",
                    1,
                    Integer.MAX_VALUE,
                    Integer.MAX_VALUE,
                    Defaults.DATASET_OUTPUT_TOKENS,
                    true,
                    Sampling.WITH_REPLACEMENT,
                    0,
                    Defaults.ENCODING);
            long before = usedHeapAfterGc();
            long start = System.nanoTime();
            PromptSource source = PromptSources.forWorkload(workload, 1);
            long elapsed = System.nanoTime() - start;
            long retained = usedHeapAfterGc() - before;
            System.out.printf(
                    Locale.ROOT,
                    "ShareGPT file of %,d conversations (%,d MB): read, tokenized (prompt and reference) and kept in"
                            + " %.2f s = %,d ns/record; heap retained %,d MB (first prompt %d tokens)%n",
                    records,
                    Files.size(file) >> 20,
                    elapsed / 1e9,
                    elapsed / records,
                    retained >> 20,
                    source.prompt(0).inputTokens());
        } finally {
            Files.delete(file);
        }
    }

    private static void measure(String label, PromptSource source, int prompts) {
        for (int i = 0; i < 5_000; i++) {
            source.prompt(prompts + i); // warm-up on indexes outside the timed range
        }
        long before = usedHeapAfterGc();
        long allocatedBefore = allocatedBytes();
        long chars = 0;
        long tokens = 0;
        long start = System.nanoTime();
        for (int i = 0; i < prompts; i++) {
            Prompt prompt = source.prompt(i);
            chars += prompt.text().length();
            tokens += prompt.inputTokens();
        }
        long elapsed = System.nanoTime() - start;
        long allocated = allocatedBytes() - allocatedBefore;
        long after = usedHeapAfterGc();
        System.out.printf(
                Locale.ROOT,
                "%s: %,d prompts (%,d tokens, %,d chars) in %.2f s = %,d ns/prompt = %,.0f prompts/s on one"
                        + " thread; allocated %,d bytes/prompt (garbage); heap after GC %+,d bytes;"
                        + " holding them all would take about %,d MB of text%n",
                label,
                prompts,
                tokens,
                chars,
                elapsed / 1e9,
                elapsed / prompts,
                prompts / (elapsed / 1e9),
                allocated / prompts,
                after - before,
                chars >> 20);
    }

    /** The two halves of prompt(i): building the text, and re-encoding it to verify the count. */
    private static void splitGenerationFromVerification(Tokenizer tokenizer, int tokens, int rounds) {
        SyntheticText text = SyntheticText.forTokenizer(tokenizer);
        String[] texts = new String[64];
        long generate = 0;
        long verify = 0;
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            StringBuilder out = new StringBuilder(tokens * 7);
            text.appendSentences(new SplittableRandom(round), tokens, out);
            texts[round & 63] = out.toString();
            long middle = System.nanoTime();
            sink += tokenizer.count(texts[round & 63]);
            long end = System.nanoTime();
            if (round >= rounds / 10) {
                generate += middle - start;
                verify += end - middle;
            }
        }
        int timed = rounds - rounds / 10;
        System.out.printf(
                Locale.ROOT,
                "%d-token prompt: generate %,d ns, verify (re-encode) %,d ns (checksum %d)%n",
                tokens,
                generate / timed,
                verify / timed,
                sink % 10);
    }

    private static void report(String what, long nanos) {
        System.out.printf(Locale.ROOT, "%s: %.1f ms%n", what, nanos / 1e6);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) threads)
                    .getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
