package dev.keel.agent.client;

/** The service did not answer at all (refused, reset, timed out): safe to retry. */
class NotReachedException extends DownstreamException {

    NotReachedException(String message, Throwable cause) {
        super(message, 0, cause);
    }
}
