package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.stats.BinaryMetrics;
import org.junit.jupiter.api.Test;

class ThresholdTunerTest {

    @Test
    void theTunedThresholdMaximisesF1() {
        float[] p = {0.35f, 0.4f, 0.45f, 0.2f, 0.1f, 0.3f};
        float[] y = {1, 1, 1, 0, 0, 0};
        double t = ThresholdTuner.bestF1Threshold(p, y);
        assertThat(BinaryMetrics.of(p, y, t).f1()).isEqualTo(1.0);
        assertThat(t).isBetween(0.31, 0.35);
    }
}
