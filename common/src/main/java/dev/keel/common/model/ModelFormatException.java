package dev.keel.common.model;

/**
 * The bytes handed to {@link XgbModel#load} are not a model this runtime can serve: not JSON, not an
 * XGBoost model, an unsupported booster or objective, or tree arrays that do not agree with each
 * other. Unchecked because a registry loads models at one boundary and answers every cause alike;
 * the message names the exact part of the document that is wrong.
 */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
