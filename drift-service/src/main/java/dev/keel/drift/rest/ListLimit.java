package dev.keel.drift.rest;

import dev.keel.common.problem.ProblemException;

/**
 * The {@code limit} query parameter of a list endpoint: taken as text, so "abc" is a 400 naming
 * {@code limit} (as inference's prediction list answers) rather than JAX-RS' bare 404 for a
 * parameter it cannot convert, and a value outside 1..max is refused, never silently clamped.
 */
final class ListLimit {

    private ListLimit() {
    }

    static int parse(String text, int defaultLimit, int max) {
        if (text == null || text.isBlank()) {
            return defaultLimit;
        }
        int n;
        try {
            n = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("limit", "limit must be a whole number from 1 to " + max);
        }
        if (n < 1 || n > max) {
            throw ProblemException.badRequest("limit", "limit must be from 1 to " + max);
        }
        return n;
    }
}
