package dev.keel.training.data;

/**
 * A CSV that cannot be trained on, with the column ({@code field}) and line that show why. The
 * message is written for the person who made the file.
 */
public class DatasetRejection extends RuntimeException {

    private final String field;

    public DatasetRejection(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The column (or request parameter) at fault; null when it is the file as a whole. */
    public String field() {
        return field;
    }
}
