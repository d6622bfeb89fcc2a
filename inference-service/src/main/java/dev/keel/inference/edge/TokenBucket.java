package dev.keel.inference.edge;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}. Synchronized per
 * bucket, and there is one bucket per API key, so keys never contend with each other.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes a token and answers 0, or answers how many nanoseconds until one is there. */
    synchronized long tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
