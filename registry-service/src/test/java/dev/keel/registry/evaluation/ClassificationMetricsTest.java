package dev.keel.registry.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.registry.domain.ModelMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void metricsMatchScikitLearnOnASmallExample() {
        float[] p = {0.1f, 0.4f, 0.35f, 0.8f, 0.9f, 0.2f};
        boolean[] y = {false, false, true, true, true, true};
        ModelMetrics m = ClassificationMetrics.compute(p, y, 0.5);
        // as sklearn: 6 of the 8 positive-negative pairs are ranked right, so roc_auc is 0.75
        assertThat(m.confusionMatrix()).isEqualTo(List.of(List.of(2L, 0L), List.of(2L, 2L)));
        assertThat(m.accuracy()).isEqualTo(0.666667);
        assertThat(m.precision()).isEqualTo(1.0);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.f1()).isEqualTo(0.666667);
        assertThat(m.rocAuc()).isEqualTo(0.75);
        assertThat(m.threshold()).isEqualTo(0.5);
    }

    @Test
    void tiesCountHalfInTheAuc() {
        assertThat(ClassificationMetrics.rocAuc(new float[] {0.5f, 0.5f}, new boolean[] {true, false})).isEqualTo(0.5);
    }

    @Test
    void aucIsUndefinedWithOneClassAndEmptyDenominatorsGiveZero() {
        ModelMetrics m = ClassificationMetrics.compute(new float[] {0.1f, 0.2f}, new boolean[] {false, false}, 0.5);
        assertThat(m.rocAuc()).isNull();
        assertThat(m.precision()).isZero();
        assertThat(m.recall()).isZero();
        assertThat(m.f1()).isZero();
        assertThat(m.accuracy()).isEqualTo(1.0);
    }
}
