package dev.keel.agent.rest;

import dev.keel.common.problem.ProblemException;

/** Checks the {@code page} and {@code size} query parameters of list endpoints. */
final class Paging {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 200;

    private Paging() {
    }

    static int page(Integer page) {
        if (page != null && page < 0) {
            throw ProblemException.badRequest("page", "page: must be 0 or more");
        }
        return page == null ? 0 : page;
    }

    static int size(Integer size) {
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            throw ProblemException.badRequest("size", "size: must be from 1 to " + MAX_SIZE);
        }
        return size == null ? DEFAULT_SIZE : size;
    }

    /** A filter value that must be one of {@code allowed}; null passes. */
    static String oneOf(String field, String value, String... allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw ProblemException.badRequest(field, field + ": must be one of " + String.join(", ", allowed));
    }
}
