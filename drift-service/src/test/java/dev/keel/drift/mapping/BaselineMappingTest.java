package dev.keel.drift.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.CategoricalBaseline;
import dev.keel.common.stats.baseline.FeatureType;
import dev.keel.drift.stats.CategoricalReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which boolean baselines have their live values read as "true"/"false". */
class BaselineMappingTest {

    private static CategoricalReference mapped(Map<String, Long> counts) {
        BaselineStatistics stats = new BaselineStatistics(BaselineStatistics.FORMAT_VERSION, 100,
                List.of(new CategoricalBaseline("flag", FeatureType.BOOLEAN, 100, 0, counts)));
        return (CategoricalReference) BaselineMapping.toBaseline(stats).features().get(0);
    }

    @Test
    void aBaselineSpelledAsTrainingWritesItReadsLiveValuesAsTrueAndFalse() {
        assertThat(mapped(Map.of("true", 30L, "false", 70L)).booleans()).isTrue();
        assertThat(mapped(Map.of("false", 100L)).booleans()).isTrue();
    }

    @Test
    void aBooleanBaselineSpelledOtherwiseIsComparedValueForValueAsBefore() {
        assertThat(mapped(Map.of("0", 70L, "1", 30L)).booleans()).isFalse();
        assertThat(mapped(Map.of("yes", 30L, "no", 70L)).booleans()).isFalse();
        assertThat(mapped(Map.of()).booleans()).isFalse();
    }
}
