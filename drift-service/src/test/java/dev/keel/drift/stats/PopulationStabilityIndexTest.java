package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** PSI on cases worked by hand: Σ (ref − cur) · ln(ref / cur). */
class PopulationStabilityIndexTest {

    @Test
    void sumsTheShareDifferencesWeightedByTheirLogRatio() {
        // (0.5 − 0.4)·ln(0.5/0.4) + (0.3 − 0.4)·ln(0.3/0.4) + 0 = 0.022314 + 0.028768
        assertThat(PopulationStabilityIndex.between(new double[] {0.5, 0.3, 0.2}, new double[] {0.4, 0.4, 0.2}))
                .isCloseTo(0.0510825624, within(1e-9));
    }

    @Test
    void identicalDistributionsHaveZeroPsi() {
        assertThat(PopulationStabilityIndex.between(new double[] {0.25, 0.75}, new double[] {0.25, 0.75})).isZero();
    }

    @Test
    void anEmptyReferenceBucketIsFilledWithTenThousandthWhenTheSmallestShareIsLarge() {
        // ref becomes [0.5, 0.5, 1e-4]: 2·0.25·ln 2 + (1e-4 − 0.5)·ln(1e-4 / 0.5)
        assertThat(PopulationStabilityIndex.between(new double[] {0.5, 0.5, 0}, new double[] {0.25, 0.25, 0.5}))
                .isCloseTo(4.6043184667, within(1e-9));
    }

    @Test
    void anEmptyBucketBesideATinyShareGetsAMillionthOfThatShare() {
        // ref's smallest non-zero share 5e-5 ≤ 1e-4 → its empty bucket gets 5e-11; cur's gets 1e-4
        double psi = PopulationStabilityIndex.between(new double[] {0.99995, 0.00005, 0}, new double[] {0.9, 0.1, 0});
        assertThat(psi).isCloseTo(0.7716868518, within(1e-9));
    }

    @Test
    void unseenCategoriesCountAsTheirOwnBucket() {
        CategoricalReference reference = CategoricalReference.of("colour",
                java.util.Map.of("red", 50L, "blue", 50L), 0);
        Baseline baseline = new Baseline(100, java.util.List.of(reference));
        DriftPolicy psi = new DriftPolicy(java.util.Map.of(), null, new MethodChoice(DriftMethod.PSI, null), 0.5, false);
        DatasetDrift drift = DriftCalculator.compute(baseline, psi, window -> {
            for (String c : new String[] {"red", "blue", "green", "green"}) {
                window.acceptRow(java.util.Map.of("colour", c));
            }
        });
        FeatureDrift colour = drift.features().get(0);
        assertThat(colour.histogram()).extracting(HistogramBucket::label).contains("green");
        // blue, green, red: ref [0.5, 1e-4, 0.5], cur [0.25, 0.5, 0.25]
        double expected = 2 * (0.25 * Math.log(2)) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5);
        assertThat(colour.result().statistic()).isCloseTo(expected, within(1e-12));
        assertThat(colour.result().drifted()).isTrue();
    }
}
