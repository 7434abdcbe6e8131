package dev.llmharness.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV (RFC 4180) with a header row naming the columns; fields may span lines when quoted.
 * Records are streamed; errors name the record number (data rows from 1) and its first line.
 */
final class CsvReader implements DatasetReader {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .get();

    private final String formatName;
    private final String promptColumn;
    private final String referenceColumn;

    /** @param referenceColumn column of the reference answer; empty for none */
    CsvReader(String formatName, String promptColumn, String referenceColumn) {
        this.formatName = formatName;
        this.promptColumn = promptColumn;
        this.referenceColumn = referenceColumn;
    }

    @Override
    public void read(DatasetFile file, RecordVisitor visitor) {
        try (BufferedReader reader = file.openReader();
                CSVParser parser = CSVParser.parse(skipByteOrderMark(reader), FORMAT)) {
            if (parser.getHeaderNames().isEmpty()) {
                throw new WorkloadException(file.location() + " is empty: a " + formatName + " dataset is a header row"
                        + " naming its columns (\"" + promptColumn + "\" among them), then one row per record");
            }
            if (!parser.getHeaderMap().containsKey(promptColumn)) {
                throw new WorkloadException(file.location() + " line 1: the header has no \"" + promptColumn
                        + "\" column (" + formatName + " prompt column); columns present: "
                        + DatasetFile.printable(parser.getHeaderNames()));
            }
            boolean hasReference = !referenceColumn.isEmpty();
            if (hasReference && !parser.getHeaderMap().containsKey(referenceColumn)) {
                throw new WorkloadException(file.location() + " line 1: the header has no \"" + referenceColumn
                        + "\" column (" + formatName + " reference column); columns present: "
                        + DatasetFile.printable(parser.getHeaderNames()));
            }
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                long lineBefore = parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        return;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    WorkloadException encoding = file.encodingFailure(e);
                    if (encoding != null) {
                        throw encoding;
                    }
                    throw new WorkloadException(file.location() + " near line " + lineBefore + ": malformed CSV ("
                            + DatasetFile.printable(
                                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                            + ")");
                }
                String where = file.location() + " record " + record.getRecordNumber() + " (line " + lineBefore + ")";
                if (!record.isSet(promptColumn)) {
                    throw new WorkloadException(where + ": the row has " + record.size()
                            + (record.size() == 1 ? " field" : " fields") + " and no value for the \""
                            + promptColumn + "\" column");
                }
                String reference = hasReference && record.isSet(referenceColumn) ? record.get(referenceColumn) : null;
                if (!visitor.visit(new RawRecord(record.get(promptColumn), reference))) {
                    return;
                }
            }
        } catch (CSVException e) {
            // The header row itself is malformed (a quote left open).
            throw new WorkloadException(
                    file.location() + " line 1: malformed CSV header (" + DatasetFile.printable(e.getMessage()) + ")");
        } catch (IOException e) {
            throw file.readFailure(e);
        } catch (IllegalArgumentException e) {
            // Commons CSV rejects a duplicate or empty header name this way.
            throw new WorkloadException(
                    file.location() + " line 1: bad CSV header (" + DatasetFile.printable(e.getMessage()) + ")");
        }
    }

    private static BufferedReader skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }
}
