package dev.keel.training.client;

/** The registry refused a request (4xx other than the ones a caller expects); retrying will not help. */
public class RegistryRejectedException extends RuntimeException {

    private final int status;

    public RegistryRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
