package dev.keel.agent.repository;

import java.util.List;

/** One page of a listing, shaped like the registry's. */
public record Page<T>(List<T> items, int page, int size, long total) {
}
