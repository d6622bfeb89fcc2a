package dev.keel.agent.client;

/**
 * The service answered 503: it is up but cannot serve now (its database is away, say), and did not
 * act. Safe to retry for a call whose repeat cannot do more than the first would have.
 */
class UnavailableException extends DownstreamException {

    UnavailableException(String message) {
        super(message, 503, null);
    }
}
