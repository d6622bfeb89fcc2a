package dev.keel.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    @Test
    void theConfusionMatrixAndScoresFollowTheThreshold() {
        float[] p = {0.9f, 0.8f, 0.4f, 0.3f, 0.6f, 0.1f};
        float[] y = {1, 1, 1, 0, 0, 0};

        BinaryMetrics m = BinaryMetrics.of(p, y, 0.5);

        assertThat(m.confusionMatrix()).isEqualTo(List.of(List.of(2L, 1L), List.of(1L, 2L)));
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(m.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.recall()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.f1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(BinaryMetrics.of(p, y, 0.35).recall()).isEqualTo(1.0);
    }

    @Test
    void rocAucIsThePairwiseOrderingProbabilityWithTiesCountingHalf() {
        Random random = new Random(3);
        float[] p = new float[400];
        float[] y = new float[400];
        for (int i = 0; i < p.length; i++) {
            y[i] = random.nextBoolean() ? 1 : 0;
            // coarse scores, so many ties
            p[i] = Math.round((y[i] * 0.3 + random.nextDouble()) * 10) / 10f;
        }
        double pairs = 0;
        double wins = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(BinaryMetrics.of(p, y, 0.5).rocAuc()).isCloseTo(wins / pairs, within(1e-12));
        assertThat(BinaryMetrics.of(new float[] {0.2f, 0.7f}, new float[] {1, 1}, 0.5).rocAuc()).as("one class").isNull();
    }

    @Test
    void predictingNoPositivesScoresZeroNotNaN() {
        BinaryMetrics m = BinaryMetrics.of(new float[] {0.1f, 0.2f}, new float[] {1, 0}, 0.5);
        assertThat(m.precision()).isZero();
        assertThat(m.f1()).isZero();
        assertThat(BinaryMetrics.majorityAccuracy(new float[] {1, 0, 0, 0})).isEqualTo(0.75);
    }
    @Test
    void theRocCurveStepsOncePerDistinctScoreWithTiesAsOneDiagonalStep() {
        // 4 positives, 3 negatives; 0.8 and 0.4 each tie a positive with a negative
        float[] p = {0.9f, 0.8f, 0.8f, 0.6f, 0.4f, 0.4f, 0.2f};
        boolean[] y = {true, true, false, true, false, true, false};

        List<List<Double>> curve = BinaryMetrics.rocCurve(p, y, 101);

        assertThat(curve).isEqualTo(List.of(
                List.of(0.0, 0.0),
                List.of(0.0, 0.25),        // > 0.8: the 0.9 positive
                List.of(1 / 3.0, 0.5),     // >= 0.8: one positive and one negative together
                List.of(1 / 3.0, 0.75),    // >= 0.6
                List.of(2 / 3.0, 1.0),     // >= 0.4: the tie again
                List.of(1.0, 1.0)));       // >= 0.2
        double area = 0;
        for (int i = 1; i < curve.size(); i++) {
            area += (curve.get(i).get(0) - curve.get(i - 1).get(0)) * (curve.get(i).get(1) + curve.get(i - 1).get(1)) / 2;
        }
        assertThat(area).as("trapezoid area").isCloseTo(BinaryMetrics.rocAuc(p, y), within(1e-12)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aLongRocCurveIsThinnedToMaxPointsKeepingBothEnds() {
        float[] p = {0.9f, 0.8f, 0.8f, 0.6f, 0.4f, 0.4f, 0.2f};
        boolean[] y = {true, true, false, true, false, true, false};
        assertThat(BinaryMetrics.rocCurve(p, y, 3))
                .isEqualTo(List.of(List.of(0.0, 0.0), List.of(1 / 3.0, 0.75), List.of(1.0, 1.0)));
        assertThat(BinaryMetrics.rocCurve(p, y, 6)).hasSize(6);

        Random random = new Random(11);
        float[] scores = new float[5000];
        boolean[] labels = new boolean[5000];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextBoolean();
            scores[i] = (float) ((labels[i] ? 0.2 : 0) + random.nextDouble() * 0.8);
        }
        List<List<Double>> curve = BinaryMetrics.rocCurve(scores, labels, 101);
        assertThat(curve).hasSize(101);
        assertThat(curve.get(0)).isEqualTo(List.of(0.0, 0.0));
        assertThat(curve.get(100)).isEqualTo(List.of(1.0, 1.0));
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i).get(0)).isGreaterThanOrEqualTo(curve.get(i - 1).get(0));
            assertThat(curve.get(i).get(1)).isGreaterThanOrEqualTo(curve.get(i - 1).get(1));
            assertThat(curve.get(i)).isNotEqualTo(curve.get(i - 1));
        }
    }

    @Test
    void aSingleClassHasNoRocCurve() {
        assertThat(BinaryMetrics.rocCurve(new float[] {0.2f, 0.7f}, new boolean[] {true, true}, 101)).isEmpty();
        assertThatThrownBy(() -> BinaryMetrics.rocCurve(new float[] {0.2f}, new boolean[] {true, false}, 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryMetrics.rocCurve(new float[] {0.2f, 0.7f}, new boolean[] {true, false}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
