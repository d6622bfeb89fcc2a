package dev.keel.training.learning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How candidates are drawn from the families' search spaces. */
public enum SearchStrategy {
    /** The points of each family's grid, evenly thinned when the budget is smaller than the grid. */
    GRID("grid"),
    /** Points drawn at random from each family's ranges, with the run's seed. */
    RANDOM("random");

    private final String json;

    SearchStrategy(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    public static Optional<SearchStrategy> fromJson(String value) {
        return Arrays.stream(values()).filter(s -> s.json.equals(value)).findFirst();
    }

    @JsonCreator
    static SearchStrategy parse(String value) {
        return fromJson(value).orElseThrow(() -> new IllegalArgumentException(
                "unknown search strategy '" + value + "'; expected grid or random"));
    }
}
