package dev.llmharness.runtime.data;

/** Receives records as a reader streams them. */
interface RecordVisitor {
    /**
     * Takes one record.
     *
     * @return whether to go on reading ({@code false} once the {@code limit} is reached)
     */
    boolean visit(RawRecord record);
}
