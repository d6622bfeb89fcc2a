package dev.keel.training.client;

/** The registry could not be reached or failed (5xx, timeout); worth a retry. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
