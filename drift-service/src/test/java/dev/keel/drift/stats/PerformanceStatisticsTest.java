package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PerformanceStatisticsTest {

    @Test
    void confusionMatrixMetricsAreTheTextbookOnesAndUndefinedWhenTheirDenominatorIsZero() {
        ConfusionMatrix m = new ConfusionMatrix(3, 2, 1, 4);
        assertThat(m.accuracy()).isEqualTo(0.7);
        assertThat(m.precision()).isEqualTo(0.6);
        assertThat(m.recall()).isEqualTo(0.75);
        assertThat(m.f1()).isCloseTo(2 * 0.6 * 0.75 / (0.6 + 0.75), within(1e-12));

        ConfusionMatrix noPositives = new ConfusionMatrix(0, 0, 0, 5);
        assertThat(noPositives.accuracy()).isEqualTo(1.0);
        assertThat(noPositives.precision()).isNull();
        assertThat(noPositives.recall()).isNull();
        assertThat(noPositives.f1()).isNull();
        assertThat(ConfusionMatrix.EMPTY.accuracy()).isNull();
    }

    @Test
    void rocAucFromTiedGroupsEqualsThePairwiseCountWithTiesAsHalves() {
        SplittableRandom r = new SplittableRandom(7);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double p = Math.round(r.nextDouble() * 20) / 20.0; // many ties
            rows.add(new double[] {p, r.nextDouble() < p ? 1 : 0});
        }
        double won = 0;
        long pairs = 0;
        for (double[] a : rows) {
            for (double[] b : rows) {
                if (a[1] == 1 && b[1] == 0) {
                    pairs++;
                    won += a[0] > b[0] ? 1 : a[0] == b[0] ? 0.5 : 0;
                }
            }
        }
        TreeMap<Double, long[]> groups = new TreeMap<>();
        for (double[] row : rows) {
            groups.computeIfAbsent(row[0], k -> new long[2])[row[1] == 1 ? 0 : 1]++;
        }
        RocAucAccumulator auc = new RocAucAccumulator();
        groups.forEach((p, counts) -> auc.addTie(p, counts[0], counts[1]));

        assertThat(auc.auc()).isCloseTo(won / pairs, within(1e-12));
    }

    @Test
    void rocAucIsUndefinedWithOneClass() {
        RocAucAccumulator auc = new RocAucAccumulator();
        auc.addTie(0.3, 2, 0);
        auc.addTie(0.8, 1, 0);
        assertThat(auc.auc()).isNull();
    }

    @Test
    void calibrationPoolsViolatorsIntoAMonotoneMapAndInterpolatesBetweenBins() {
        ProbabilityCalibration cal = ProbabilityCalibration.fit(List.of(
                new ProbabilityCalibration.Bin(10, 1.0, 2),    // mean 0.1, rate 0.2
                new ProbabilityCalibration.Bin(0, 0, 0),       // empty: skipped
                new ProbabilityCalibration.Bin(10, 5.0, 6),    // mean 0.5, rate 0.6
                new ProbabilityCalibration.Bin(10, 6.0, 4),    // mean 0.6, rate 0.4: pooled with the one before
                new ProbabilityCalibration.Bin(10, 9.0, 9)));  // mean 0.9, rate 0.9

        assertThat(cal.points()).isEqualTo(3);
        assertThat(cal.referenceRows()).isEqualTo(40);
        assertThat(cal.apply(0.0)).isEqualTo(0.2);
        assertThat(cal.apply(0.55)).isCloseTo(0.5, within(1e-12));
        assertThat(cal.apply(0.725)).isCloseTo(0.7, within(1e-12));
        assertThat(cal.apply(1.0)).isEqualTo(0.9);
    }

    @Test
    void confidenceBasedEstimateSumsCalibratedProbabilitiesPerPredictedClass() {
        ProbabilityCalibration identity = ProbabilityCalibration.fit(List.of(
                new ProbabilityCalibration.Bin(100, 0.0, 0), new ProbabilityCalibration.Bin(100, 100.0, 100)));
        ConfidenceBasedEstimate e = new ConfidenceBasedEstimate(identity);
        e.add(true, 10, 0.8);
        e.add(false, 10, 0.3);

        ConfusionMatrix m = e.expected();
        assertThat(m.truePositives()).isCloseTo(8, within(1e-9));
        assertThat(m.falsePositives()).isCloseTo(2, within(1e-9));
        assertThat(m.falseNegatives()).isCloseTo(3, within(1e-9));
        assertThat(m.trueNegatives()).isCloseTo(7, within(1e-9));
        assertThat(e.rows()).isEqualTo(20);
        assertThat(m.accuracy()).isCloseTo(0.75, within(1e-9));
    }
}
