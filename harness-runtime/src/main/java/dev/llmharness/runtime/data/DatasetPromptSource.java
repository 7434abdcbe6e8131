package dev.llmharness.runtime.data;

import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.DatasetWorkload;

/**
 * Prompts taken from a loaded dataset. The output length is the record's reference length when
 * {@code outputFromReference}, else {@code min(outputTokens, maxOutputTokens)}; it is always
 * enforced ({@code exactOutput}), so that TPOT and throughput compare across runs.
 */
final class DatasetPromptSource implements PromptSource {
    private final LoadedDataset dataset;
    private final RecordSampler sampler;
    private final boolean outputFromReference;
    private final int outputTokens;
    /** The encoding {@link LoadedDataset#promptTokens()} were counted in. */
    private final String encoding;

    DatasetPromptSource(DatasetWorkload workload, LoadedDataset dataset, long seed, String encoding) {
        this.dataset = dataset;
        this.encoding = encoding;
        this.sampler = new RecordSampler(workload.sampling(), dataset.size(), seed);
        this.outputFromReference = workload.outputFromReference();
        this.outputTokens = Math.min(workload.outputTokens(), workload.maxOutputTokens());
    }

    @Override
    public Prompt prompt(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        int record = sampler.record(index);
        int output = outputFromReference ? dataset.referenceTokens()[record] : outputTokens;
        return new Prompt(
                index,
                dataset.prompts()[record],
                dataset.promptTokens()[record],
                output,
                true,
                dataset.references()[record]);
    }

    /** Each record's prompt was counted whole, untruncated, when the dataset was loaded. */
    @Override
    public String exactEncoding() {
        return encoding;
    }
}
