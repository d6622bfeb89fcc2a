package dev.keel.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import java.util.List;
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
}
