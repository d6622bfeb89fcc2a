package dev.keel.common.rest;

import dev.keel.common.problem.ProblemException;

/** Checks the {@code page} and {@code size} query parameters, and enumerated filters, of list endpoints. */
public final class Paging {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;
    /** The last page asked for: with sizes up to 2,000 its first row still fits an int, as JPA's offset must. */
    public static final int MAX_PAGE = 1_000_000;

    private Paging() {
    }

    /** Zero-based page; 0 when absent, 400 naming {@code page} when negative or above {@link #MAX_PAGE}. */
    public static int page(Integer page) {
        if (page != null && (page < 0 || page > MAX_PAGE)) {
            throw ProblemException.badRequest("page", "page: must be from 0 to " + MAX_PAGE);
        }
        return page == null ? 0 : page;
    }

    /** Page size from 1 to {@link #MAX_SIZE}; {@link #DEFAULT_SIZE} when absent. */
    public static int size(Integer size) {
        return size(size, DEFAULT_SIZE, MAX_SIZE);
    }

    /** Page size from 1 to {@code max}; {@code defaultSize} when absent, 400 naming {@code size} otherwise. */
    public static int size(Integer size, int defaultSize, int max) {
        if (size != null && (size < 1 || size > max)) {
            throw ProblemException.badRequest("size", "size: must be from 1 to " + max);
        }
        return size == null ? defaultSize : size;
    }

    /** A filter value that must be one of {@code allowed}; null or blank passes as null. */
    public static String oneOf(String field, String value, String... allowed) {
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
