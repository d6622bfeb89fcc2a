package dev.keel.common.model;

/**
 * A named feature cannot be turned into a model input. Carries the offending field so a service can
 * answer with a field-level problem instead of a stack trace; the message never contains the value.
 */
public class InvalidFeatureException extends IllegalArgumentException {

    /** Why the feature was rejected, for callers that map rejections to their own error codes. */
    public enum Reason {
        /** The model has no feature of that name. */
        UNKNOWN,
        /** The model needs the feature and the request did not send it (or sent null). */
        MISSING,
        /** The value is not a number (booleans count as 0/1). */
        WRONG_TYPE,
        /** NaN where missing values are not allowed, or an infinite value. */
        NOT_FINITE,
        /** A categorical feature whose value is not a non-negative whole category code. */
        INVALID_CATEGORY
    }

    private final String field;
    private final Reason reason;

    public InvalidFeatureException(String field, Reason reason, String message) {
        super(message);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public Reason reason() {
        return reason;
    }
}
