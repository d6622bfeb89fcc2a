package dev.keel.training.service;

import dev.keel.training.learning.Cancellation;

/**
 * Tells a worker to stop a run, and how to record it: cancelled (someone asked) or failed
 * (the service is stopping, so the run is interrupted).
 */
final class StopSignal implements Cancellation {

    private volatile String reason;
    private volatile boolean failure;

    @Override
    public boolean requested() {
        return reason != null;
    }

    void cancel(String why) {
        this.failure = false;
        this.reason = why;
    }

    void interrupt(String why) {
        this.failure = true;
        this.reason = why;
    }

    String reason() {
        return reason;
    }

    boolean isFailure() {
        return failure;
    }
}
