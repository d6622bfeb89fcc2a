package dev.keel.training.api;

import java.util.List;

/** One page of a list; {@code page} counts from 0. */
public record PageView<T>(List<T> items, int page, int size, long total) {
}
