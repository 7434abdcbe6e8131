package dev.llmharness.api;

/** File formats that {@link Dataset} reads. */
public enum DatasetFormat {
    /**
     * ShareGPT JSON: an array of records with {@code conversations: [{from, value}]}; the first
     * human turn is the prompt, the first model turn the reference answer.
     */
    SHAREGPT,
    /** Databricks Dolly JSONL: {@code instruction}, optional {@code context}, {@code response}. */
    DOLLY,
    /** BillSum, JSONL or CSV (by file extension): {@code text} is the prompt, {@code summary} the reference. */
    BILLSUM,
    /** One JSON object per line; {@link Dataset#promptField()} names the prompt. */
    JSONL,
    /** CSV with a header row; {@link Dataset#promptField()} names the prompt column. */
    CSV
}
