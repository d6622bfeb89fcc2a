package dev.keel.registry.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Now, at the precision PostgreSQL keeps (microseconds), so the time in an answer is the time a
 * later read of the same row returns.
 */
final class DatabaseTime {

    private DatabaseTime() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
