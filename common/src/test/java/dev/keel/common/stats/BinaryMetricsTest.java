package dev.keel.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
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
}
