package dev.keel.training.learning;

/** Asked between boosting rounds and folds whether the run should stop. */
@FunctionalInterface
public interface Cancellation {

    Cancellation NEVER = () -> false;

    boolean requested();

    /** @throws CancelledException when cancellation was requested */
    default void check() {
        if (requested()) {
            throw new CancelledException();
        }
    }

    /** Unwinds a training loop whose run was cancelled. */
    final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
