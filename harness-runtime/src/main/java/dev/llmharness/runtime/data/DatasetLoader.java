package dev.llmharness.runtime.data;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.spi.DatasetWorkload;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dataset, tokenizes and filters each record as it streams past, and keeps only the
 * survivors' texts and counts. Filters apply in this order, and each dropped record is charged
 * to the first one it fails: a prompt turn (ShareGPT), a reference (when lengths come from it),
 * {@code minInputTokens}, {@code maxInputTokens}, {@code maxOutputTokens}.
 */
final class DatasetLoader {
    private DatasetLoader() {}

    /**
     * @param needReferenceTokens whether reference lengths are used (output from the reference,
     *     or EMPIRICAL output lengths): records without a reference are then dropped and {@code
     *     maxOutputTokens} filters on the reference length
     */
    static LoadedDataset load(DatasetWorkload workload, Tokenizer tokenizer, boolean needReferenceTokens) {
        DatasetFile file = new DatasetFile(workload.path());
        Counts counts = new Counts();
        List<String> prompts = new ArrayList<>();
        List<String> references = new ArrayList<>();
        IntList promptTokens = new IntList();
        IntList referenceTokens = new IntList();
        int limit = workload.limit();
        readerFor(workload, file).read(file, record -> {
            counts.read++;
            keep:
            {
                if (record.prompt() == null) {
                    counts.noPrompt++;
                    break keep;
                }
                int referenceLength = 0;
                if (needReferenceTokens) {
                    referenceLength = record.reference() == null ? 0 : tokenizer.count(record.reference());
                    if (referenceLength == 0) {
                        counts.noReference++;
                        break keep;
                    }
                }
                int promptLength = tokenizer.count(record.prompt());
                if (promptLength < workload.minInputTokens()) {
                    counts.tooShort++;
                    break keep;
                }
                if (promptLength > workload.maxInputTokens()) {
                    counts.tooLong++;
                    break keep;
                }
                if (needReferenceTokens && referenceLength > workload.maxOutputTokens()) {
                    counts.outputTooLong++;
                    break keep;
                }
                prompts.add(record.prompt());
                references.add(record.reference());
                promptTokens.add(promptLength);
                referenceTokens.add(referenceLength);
            }
            return limit == 0 || counts.read < limit;
        });
        String summary = counts.describe(workload, prompts.size(), needReferenceTokens);
        if (prompts.isEmpty()) {
            throw new WorkloadException("dataset " + workload.path() + " has no usable record: " + summary
                    + counts.advice(workload, needReferenceTokens));
        }
        return new LoadedDataset(
                prompts.toArray(String[]::new),
                promptTokens.toArray(),
                references.toArray(String[]::new),
                referenceTokens.toArray(),
                summary);
    }

    static DatasetReader readerFor(DatasetWorkload workload, DatasetFile file) {
        switch (workload.format()) {
            case SHAREGPT:
                return new ShareGptReader();
            case DOLLY:
                return JsonLinesReader.dolly();
            case BILLSUM:
                return billSumReader(file);
            case JSONL:
                return JsonLinesReader.fields("JSONL", workload.promptField(), workload.referenceField());
            case CSV:
                return new CsvReader("CSV", workload.promptField(), workload.referenceField());
            default:
                throw new WorkloadException("unsupported dataset format " + workload.format());
        }
    }

    private static DatasetReader billSumReader(DatasetFile file) {
        switch (file.extension()) {
            case "jsonl":
            case "json":
                return JsonLinesReader.fields(DatasetFormat.BILLSUM.name(), "text", "summary");
            case "csv":
                return new CsvReader(DatasetFormat.BILLSUM.name(), "text", "summary");
            default:
                throw new WorkloadException("BILLSUM dataset " + file.location()
                        + ": cannot tell JSONL from CSV by the file extension '" + file.extension()
                        + "'; name the file *.jsonl (one {\"text\", \"summary\"} object per line) or *.csv"
                        + " (header with text and summary columns)");
        }
    }

    private static final class Counts {
        long read;
        long noPrompt;
        long noReference;
        long tooShort;
        long tooLong;
        long outputTooLong;

        String describe(DatasetWorkload workload, int kept, boolean needReferenceTokens) {
            StringBuilder out = new StringBuilder();
            out.append("read ").append(read).append(read == 1 ? " record" : " records");
            if (workload.limit() > 0) {
                out.append(" (limit ").append(workload.limit()).append(')');
            }
            out.append(", kept ").append(kept);
            List<String> drops = new ArrayList<>();
            if (noPrompt > 0) {
                drops.add(noPrompt + " without a human turn to use as prompt");
            }
            if (noReference > 0) {
                drops.add(noReference + " without a reference answer"
                        + (needReferenceTokens ? " (output lengths come from it)" : ""));
            }
            if (tooShort > 0) {
                drops.add(tooShort + " below minInputTokens=" + workload.minInputTokens());
            }
            if (tooLong > 0) {
                drops.add(tooLong + " above maxInputTokens=" + workload.maxInputTokens());
            }
            if (outputTooLong > 0) {
                drops.add(outputTooLong + " with a reference above maxOutputTokens=" + workload.maxOutputTokens());
            }
            if (!drops.isEmpty()) {
                out.append("; dropped ").append(String.join(", ", drops));
            }
            out.append(" (token counts under ").append(workload.encoding()).append(')');
            return out.toString();
        }

        String advice(DatasetWorkload workload, boolean needReferenceTokens) {
            if (read == 0) {
                return ". The file holds no records; check that it is the right file";
            }
            long largest =
                    Math.max(Math.max(noPrompt, noReference), Math.max(tooShort, Math.max(tooLong, outputTooLong)));
            if (largest == tooShort) {
                return ". Relax the filter: lower minInputTokens";
            }
            if (largest == tooLong) {
                return ". Relax the filter: raise maxInputTokens";
            }
            if (largest == outputTooLong) {
                return ". Relax the filter: raise maxOutputTokens";
            }
            if (largest == noReference) {
                return needReferenceTokens
                        ? ". Records need a reference answer for output lengths; set referenceField, or turn"
                                + " outputFromReference off and give outputTokens"
                        : ".";
            }
            return ". Check the conversations' \"from\" values (human/user for prompts, gpt/assistant for answers)";
        }
    }

    /** A growable int array, to avoid boxing a count per record. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
