package dev.keel.training.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time: comma-separated, fields optionally in double quotes
 * (a doubled quote inside is a quote; commas and line breaks inside are data), records ended by LF
 * or CRLF. A UTF-8 byte order mark before the header is skipped. Blank lines are skipped too.
 *
 * <p>It knows the physical line each record starts on, so errors can name it as an editor shows it.
 * A field longer than {@link #MAX_FIELD_CHARS} is refused: a stray quote would otherwise gather the
 * rest of a gigabyte upload into one field in memory.
 */
public final class CsvReader {

    private static final int EOF = -1;
    /** Longest field: far beyond any feature value or category name. */
    static final int MAX_FIELD_CHARS = 1 << 20;

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long line = 1;
    private long recordLine;
    private boolean started;
    private final StringBuilder field = new StringBuilder();

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the last record returned by {@link #next()} started on (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        int c = read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        while (c == '\n' || c == '\r') {
            skipLineBreak(c);
            c = read();
        }
        if (c == EOF) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        field.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == EOF) {
                    throw new CsvFormatException(recordLine, "a quoted field starting on line " + recordLine + " is never closed");
                }
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                        c = read();
                        continue;
                    }
                    quoted = false;
                    c = next;
                    continue;
                }
                if (c == '\n' || (c == '\r' && peek() != '\n')) {
                    line++;
                }
                append(c);
                c = read();
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                c = read();
                continue;
            }
            if (c == '\n' || c == '\r' || c == EOF) {
                fields.add(field.toString());
                if (c != EOF) {
                    skipLineBreak(c);
                }
                return fields;
            }
            if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                c = read();
                continue;
            }
            if (wasQuoted) {
                throw new CsvFormatException(line, "unexpected text after a closing quote on line " + line);
            }
            append(c);
            c = read();
        }
    }

    private void append(int c) {
        if (field.length() == MAX_FIELD_CHARS) {
            throw new CsvFormatException(recordLine, "a field of the record on line " + recordLine + " is longer than "
                    + MAX_FIELD_CHARS + " characters (a quote never closed?)");
        }
        field.append((char) c);
    }

    /** Finishes one LF, CR or CRLF whose first char {@code c} was just read. */
    private void skipLineBreak(int c) throws IOException {
        line++;
        if (c == '\r' && peek() == '\n') {
            read();
        }
    }

    private int peek() throws IOException {
        int c = read();
        if (c != EOF) {
            position--;
        }
        return c;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[position++];
    }
}
