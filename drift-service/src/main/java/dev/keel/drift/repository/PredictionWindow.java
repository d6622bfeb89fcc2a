package dev.keel.drift.repository;

import java.time.Instant;

/**
 * Which logged predictions form a current window: a time range [start, end), or the last N before
 * {@code end} (then {@code start} is ignored).
 */
public record PredictionWindow(Instant start, Instant end, Integer lastN) {

    public static PredictionWindow range(Instant start, Instant end) {
        return new PredictionWindow(start, end, null);
    }

    public static PredictionWindow last(int n, Instant end) {
        return new PredictionWindow(null, end, n);
    }
}
