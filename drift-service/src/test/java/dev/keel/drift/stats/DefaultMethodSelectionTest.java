package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Evidently's {@code get_default_stattest}, at the 1,000-row boundary of the reference: hypothesis
 * tests up to 1,000 non-null reference values, distances from 1,001.
 */
class DefaultMethodSelectionTest {

    @Test
    void numericalFeaturesWithManyValuesUseKsUpToAThousandReferenceRowsAndWassersteinAbove() {
        assertThat(methodFor(continuous(1000))).isEqualTo(DriftMethod.KS);
        assertThat(methodFor(continuous(1001))).isEqualTo(DriftMethod.WASSERSTEIN);
    }

    @Test
    void numericalFeaturesWithThreeToFiveValuesUseChiSquaredOrJensenShannon() {
        assertThat(methodFor(levels(1000, 5))).isEqualTo(DriftMethod.CHISQUARE);
        assertThat(methodFor(levels(1000, 3))).isEqualTo(DriftMethod.CHISQUARE);
        assertThat(methodFor(levels(1001, 5))).isEqualTo(DriftMethod.JENSENSHANNON);
    }

    @Test
    void twoValuesOrFewerUseTheZTestOrJensenShannon() {
        assertThat(methodFor(levels(1000, 2))).isEqualTo(DriftMethod.Z);
        assertThat(methodFor(levels(1001, 2))).isEqualTo(DriftMethod.JENSENSHANNON);
    }

    @Test
    void categoricalFeaturesUseChiSquaredOrZUpToAThousandRowsAndJensenShannonAbove() {
        assertThat(methodFor(categories(1000, 3))).isEqualTo(DriftMethod.CHISQUARE);
        assertThat(methodFor(categories(1000, 2))).isEqualTo(DriftMethod.Z);
        assertThat(methodFor(categories(1001, 3))).isEqualTo(DriftMethod.JENSENSHANNON);
    }

    @Test
    void distinctValuesAreCountedOverReferenceAndCurrentTogether() {
        // five values in the reference, a sixth only in the current window: n = 6 > 5 → KS
        FeatureReference reference = levels(1000, 5);
        DatasetDrift drift = DriftCalculator.compute(new Baseline(1000, List.of(reference)),
                DriftPolicy.evidentlyDefaults(), window -> {
                    for (int i = 0; i < 100; i++) {
                        window.acceptRow(Map.of("x", (double) (i % 6)));
                    }
                });
        assertThat(drift.features().get(0).distinctValues()).isEqualTo(6);
        assertThat(drift.features().get(0).result().method()).isEqualTo(DriftMethod.KS);
    }

    @Test
    void missingReferenceValuesDoNotCountTowardTheReferenceSize() {
        double[] values = new double[1100];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 100 ? Double.NaN : random.nextGaussian();
        }
        assertThat(methodFor(NumericalReference.fromValues("x", values))).isEqualTo(DriftMethod.KS);
    }

    private static DriftMethod methodFor(FeatureReference reference) {
        DatasetDrift drift = DriftCalculator.compute(new Baseline(reference.count(), List.of(reference)),
                DriftPolicy.evidentlyDefaults(), window -> {
                    for (int i = 0; i < 50; i++) {
                        window.acceptRow(Map.of("x", reference.numerical() ? (Object) 0.0 : "c0"));
                    }
                });
        return drift.features().get(0).result().method();
    }

    private static NumericalReference continuous(int rows) {
        SplittableRandom random = new SplittableRandom(rows);
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextGaussian();
        }
        return NumericalReference.fromValues("x", values);
    }

    private static NumericalReference levels(int rows, int levels) {
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = i % levels;
        }
        return NumericalReference.fromValues("x", values);
    }

    private static CategoricalReference categories(int rows, int levels) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < rows; i++) {
            counts.merge("c" + (i % levels), 1L, Long::sum);
        }
        return CategoricalReference.of("x", counts, 0);
    }
}
