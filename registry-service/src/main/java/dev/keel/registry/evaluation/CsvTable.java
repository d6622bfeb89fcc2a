package dev.keel.registry.evaluation;

import dev.keel.common.problem.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file as RFC 4180 writes it: a header row, comma-separated fields, double quotes around
 * fields that hold commas, quotes or line breaks. Rows are numbered from 1 after the header, which
 * is how error messages name them.
 */
public final class CsvTable {

    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(List<String> header, List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    /**
     * Most cells a table may hold, header included: each is a String until the rows are scored, so
     * this bounds the memory one upload takes (a few hundred MB at most), whatever its shape.
     */
    public static final long MAX_CELLS = 5_000_000;

    /**
     * 422 naming {@code field} when the bytes are empty, not UTF-8, malformed, or hold more than
     * {@code maxRows} rows or {@link #MAX_CELLS} cells.
     */
    public static CsvTable parse(byte[] bytes, String field, int maxRows) {
        String text = decode(bytes, field);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw ProblemException.unprocessable(field, field + ": the CSV is empty");
        }
        List<String[]> records = new ArrayList<>();
        long[] cells = {0};
        List<String> current = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean cellWasQuoted = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    cell.append(c);
                }
            } else if (c == '"') {
                if (cell.length() > 0 || cellWasQuoted) {
                    throw ProblemException.unprocessable(field, field + ": line " + line + " has a quote inside an unquoted field");
                }
                quoted = true;
                cellWasQuoted = true;
            } else if (c == ',') {
                current.add(cell.toString());
                cell.setLength(0);
                cellWasQuoted = false;
                if (cells[0] + current.size() > MAX_CELLS) {
                    throw tooManyCells(field);   // one very wide line counts as it is read, not once it ends
                }
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                current.add(cell.toString());
                cell.setLength(0);
                cellWasQuoted = false;
                addRecord(records, current, field, maxRows, cells);
                current = new ArrayList<>();
                line++;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw ProblemException.unprocessable(field, field + ": a quoted field is not closed before the end of the file");
        }
        if (cell.length() > 0 || cellWasQuoted || !current.isEmpty()) {
            current.add(cell.toString());
            addRecord(records, current, field, maxRows, cells);
        }
        List<String> header = List.of(records.get(0));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isBlank()) {
                throw ProblemException.unprocessable(field, field + ": header column " + (i + 1) + " has no name");
            }
            if (!names.add(header.get(i))) {
                throw ProblemException.unprocessable(field, field + ": the header names column '" + header.get(i) + "' twice");
            }
        }
        List<String[]> rows = records.subList(1, records.size());
        if (rows.isEmpty()) {
            throw ProblemException.unprocessable(field, field + ": the CSV has a header but no rows");
        }
        return new CsvTable(header, List.copyOf(rows));
    }

    private static void addRecord(List<String[]> records, List<String> fields, String field, int maxRows, long[] cells) {
        // blank lines carry nothing; they are common at the end of files
        if (fields.size() == 1 && fields.get(0).isBlank()) {
            return;
        }
        if (records.size() > maxRows) {
            throw ProblemException.unprocessable(field, field + ": more than " + maxRows + " rows");
        }
        cells[0] += fields.size();
        if (cells[0] > MAX_CELLS) {
            throw tooManyCells(field);
        }
        records.add(fields.stream().map(String::strip).toArray(String[]::new));
    }

    private static ProblemException tooManyCells(String field) {
        return ProblemException.unprocessable(field, field + ": more than " + MAX_CELLS + " cells (rows times columns); "
                + "evaluate on a sample, or on fewer columns");
    }

    private static String decode(byte[] bytes, String field) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.unprocessable(field, field + ": the file is not UTF-8 text");
        }
    }

    public List<String> header() {
        return header;
    }

    public int size() {
        return rows.size();
    }

    /** The fields of data row {@code index} (0-based; messages call it row {@code index + 1}). */
    public String[] row(int index) {
        return rows.get(index);
    }

    public int columnIndex(String name) {
        return header.indexOf(name);
    }
}
