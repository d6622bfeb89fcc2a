package dev.keel.training.learning;

/** Training could not go on: XGBoost failed, or the data cannot make a model. The message is for the run's error text. */
public class TrainingException extends RuntimeException {

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
