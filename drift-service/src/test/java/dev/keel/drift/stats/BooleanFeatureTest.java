package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A boolean feature's baseline counts "true" and "false"; its live values come as clients send
 * them (0/1 mostly) and must land in those two categories.
 */
class BooleanFeatureTest {

    private static final CategoricalReference FLAG = CategoricalReference.ofBooleans("flag", 300, 700, 0);

    @Test
    void everyFormOfTrueAndFalseIsTheBaselinesCategory() {
        List<Object> trues = Arrays.asList(true, 1, 1L, 1.0, 1.0f, "true", "TRUE", "1", "1.0", " yes ", "t", "Y");
        List<Object> falses = Arrays.asList(false, 0, 0L, 0.0, -0.0, "false", "False", "0", "0.00", "no", "f", "N");
        trues.forEach(v -> assertThat(CurrentWindow.toBooleanCategory(v)).as("%s", v).isEqualTo("true"));
        falses.forEach(v -> assertThat(CurrentWindow.toBooleanCategory(v)).as("%s", v).isEqualTo("false"));
    }

    @Test
    void anythingElseIsCountedAsAnyCategoricalValueIs() {
        for (Object v : Arrays.asList(2, 2.0, 0.5, "maybe", "", null, Double.NaN)) {
            assertThat(CurrentWindow.toBooleanCategory(v)).as("%s", v).isEqualTo(CurrentWindow.toCategory(v));
        }
    }

    @Test
    void aWindowOfOnesAndZerosInTheBaselinesSharesHasNoDrift() {
        DatasetDrift same = DriftCalculator.compute(new Baseline(1000, List.of(FLAG)), DriftPolicy.evidentlyDefaults(),
                window -> {
                    for (int i = 0; i < 1000; i++) {
                        window.acceptRow(Map.of("flag", i % 10 < 3 ? 1 : 0));
                    }
                });
        assertThat(same.features().get(0).score()).isZero();
        assertThat(same.features().get(0).drifted()).isFalse();
        assertThat(same.features().get(0).histogram()).extracting(HistogramBucket::label).containsExactly("false", "true");

        DatasetDrift shifted = DriftCalculator.compute(new Baseline(1000, List.of(FLAG)), DriftPolicy.evidentlyDefaults(),
                window -> {
                    for (int i = 0; i < 1000; i++) {
                        window.acceptRow(Map.of("flag", i % 10 < 6 ? 1 : 0));
                    }
                });
        assertThat(shifted.features().get(0).score()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(shifted.features().get(0).drifted()).isTrue();
    }

    @Test
    void aCategoricalFeatureKeepsItsValuesAsTheyAre() {
        CategoricalReference codes = CategoricalReference.of("code", Map.of("0", 500L, "1", 500L), 0);
        DatasetDrift drift = DriftCalculator.compute(new Baseline(1000, List.of(codes)), DriftPolicy.evidentlyDefaults(),
                window -> {
                    for (int i = 0; i < 100; i++) {
                        window.acceptRow(Map.of("code", i % 2));
                    }
                });
        assertThat(drift.features().get(0).histogram()).extracting(HistogramBucket::label).containsExactly("0", "1");
        assertThat(drift.features().get(0).score()).isZero();
    }
}
