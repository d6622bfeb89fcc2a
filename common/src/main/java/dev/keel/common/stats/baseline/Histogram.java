package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Equal-width bins between a feature's minimum and maximum: bin {@code i} spans
 * {@code [edges[i], edges[i+1])}, the last one includes the maximum. A constant feature has one bin
 * whose two edges are equal.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Histogram(List<Double> edges, List<Long> counts) {

    public Histogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        if (!counts.isEmpty() && edges.size() != counts.size() + 1) {
            throw new IllegalArgumentException(counts.size() + " bins need " + (counts.size() + 1) + " edges, not " + edges.size());
        }
    }

    static Histogram empty() {
        return new Histogram(List.of(), List.of());
    }

    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
