package dev.keel.agent.client;

/** Another Keel service refused or failed a call; the message is fit for an action's result. */
public class DownstreamException extends RuntimeException {

    private final int status;

    public DownstreamException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the service was not reached. */
    public int status() {
        return status;
    }
}
