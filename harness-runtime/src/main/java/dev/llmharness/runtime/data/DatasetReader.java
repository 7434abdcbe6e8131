package dev.llmharness.runtime.data;

/**
 * Streams the records of one file format. Readers keep at most one record in memory and throw
 * {@link WorkloadException} naming the file, the line or record number, and the field.
 */
interface DatasetReader {
    void read(DatasetFile file, RecordVisitor visitor);
}
