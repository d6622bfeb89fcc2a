package dev.keel.training.data;

/** A CSV the reader cannot parse (an unclosed quote, text after a closing quote), with the line where it went wrong. */
public class CsvFormatException extends RuntimeException {

    private final long line;

    public CsvFormatException(long line, String message) {
        super(message);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
