package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Past {@link NumericalWindow#EXACT_LIMIT} values a window keeps only per-slot counts and sums;
 * its answers must still be those of the full sorted data.
 */
class StreamingWindowTest {

    @Test
    void aLargeWindowGivesTheExactKsStatisticAndANearExactWasserstein() {
        SplittableRandom random = new SplittableRandom(11);
        double[] reference = new double[5_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = Math.round(random.nextGaussian() * 1000) / 100.0;
        }
        double[] current = new double[40_000];
        for (int i = 0; i < current.length; i++) {
            current[i] = Math.round((random.nextGaussian() * 1.2 + 0.3) * 1000) / 100.0;
        }
        NumericalReference ref = NumericalReference.fromValues("x", reference);
        double[] sortedRef = reference.clone();
        double[] sortedCur = current.clone();
        Arrays.sort(sortedRef);
        Arrays.sort(sortedCur);

        MethodResult ks = StatisticsReferenceTest.measure(ref, current, DriftMethod.KS);
        double exactD = KolmogorovSmirnov.statistic(sortedRef, sortedCur);
        assertThat(ks.statistic()).isCloseTo(exactD, within(1e-12));
        assertThat(ks.pValue()).isEqualTo(KolmogorovSmirnov.pValue(exactD, reference.length, current.length));

        MethodResult w = StatisticsReferenceTest.measure(ref, current, DriftMethod.WASSERSTEIN);
        double exactW = WassersteinDistance.between(sortedRef, sortedCur) / ref.std();
        assertThat(w.statistic()).isCloseTo(exactW, within(exactW * 1e-3));
    }

    @Test
    void aReferenceLargerThanTheSampleIsSummarisedByEvenlySpacedOrderStatistics() {
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        NumericalReference ref = NumericalReference.fromValues("x", values);
        assertThat(ref.sampleSize()).isEqualTo(NumericalReference.MAX_SAMPLE);
        assertThat(ref.count()).isEqualTo(100_000);
        assertThat(ref.mean()).isCloseTo(49_999.5, within(1e-9));
        assertThat(ref.complete()).isFalse();
        // the same distribution in the current window: no drift by the default method (Wasserstein)
        DatasetDrift drift = DriftCalculator.compute(new Baseline(100_000, List.of(ref)), DriftPolicy.evidentlyDefaults(),
                window -> {
                    for (int i = 0; i < 50_000; i++) {
                        window.acceptRow(Map.of("x", (double) (i * 2 + 1)));
                    }
                });
        assertThat(drift.features().get(0).result().method()).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(drift.features().get(0).result().statistic()).isLessThan(0.01);
        assertThat(drift.datasetDrift()).isFalse();
    }

    @Test
    void sturgesBinsFollowNumpy() {
        // np.histogram_bin_edges(np.arange(100.0), bins="sturges"): 8 bins of width 99/8
        SturgesBins bins = SturgesBins.over(0, 99, 100);
        assertThat(bins.count()).isEqualTo(8);
        assertThat(bins.edges()[1]).isEqualTo(12.375);
        assertThat(bins.indexOf(99)).isEqualTo(7);
        assertThat(bins.indexOf(12.375)).isEqualTo(1);
        assertThat(bins.indexOf(12.374)).isZero();
        assertThat(bins.indexOf(-1)).isEqualTo(-1);
    }
}
