package dev.keel.common.rest;

import dev.keel.common.problem.ProblemException;
import java.time.Instant;

/**
 * Checks instants a request carries into the database. Java's {@code Instant} reaches a billion
 * years either way and PostgreSQL's {@code timestamptz} far less, so a date such as
 * {@code +999999999-12-31T23:59:59Z} parsed fine and failed in the database as a 500; requests
 * are held to the years 0001 to 9999, the four-digit years of ISO 8601.
 */
public final class Timestamps {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Timestamps() {
    }

    /** {@code value} itself (null passes); 400 naming {@code field} outside the years 0001 to 9999. */
    public static Instant storable(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw ProblemException.badRequest(field, field + ": must be from " + EARLIEST + " to 9999-12-31T23:59:59Z");
        }
        return value;
    }
}
