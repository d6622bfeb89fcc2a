package dev.keel.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmokeSetTest {

    @Test
    void everyCategoryCodeOfAManyValuedFeatureIsTried() {
        List<String> codes = IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
        List<FeatureSpec> schema = List.of(new FeatureSpec("age", FeatureType.NUMERIC, null),
                new FeatureSpec("zip", FeatureType.CATEGORICAL, codes), new FeatureSpec("member", FeatureType.BOOLEAN, null));

        int rows = SmokeSet.rows(schema, 64);
        float[] values = SmokeSet.generate(schema, null, rows);

        assertThat(rows).isEqualTo(600);
        Set<Integer> seen = new TreeSet<>();
        boolean missing = false;
        for (int r = 0; r < rows; r++) {
            float v = values[r * 3 + 1];
            if (Float.isNaN(v)) {
                missing = true;
            } else {
                seen.add((int) v);
            }
        }
        assertThat(seen).hasSize(300).contains(0, 299);
        assertThat(missing).as("missing values are tried too").isTrue();
        // a schema with few categories keeps the configured size
        assertThat(SmokeSet.rows(schema.subList(0, 1), 64)).isEqualTo(64);
    }

    @Test
    void rangesAreReadFromTrainingsBaselineFormatToo() {
        List<FeatureSpec> schema = List.of(new FeatureSpec("age", FeatureType.NUMERIC, null),
                new FeatureSpec("plan", FeatureType.CATEGORICAL, List.of("a", "b")));
        // common's BaselineStatistics as JSON: a list of features, each naming itself
        Map<String, Object> baseline = Map.of("format_version", 1, "reference_rows", 10, "features", List.of(
                Map.of("name", "plan", "type", "categorical", "category_counts", Map.of("a", 4, "b", 6)),
                Map.of("name", "age", "type", "numeric", "min", 18.0, "max", 30.0)));

        float[] values = SmokeSet.generate(schema, baseline, 64);

        // after the edge values, every drawn age lies within the baseline's range
        for (int r = 7; r < 64; r++) {
            assertThat(values[r * 2]).as("row " + r).isBetween(18f, 30f);
        }
    }
}
