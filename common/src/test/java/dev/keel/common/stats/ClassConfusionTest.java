package dev.keel.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassConfusionTest {

    @Test
    void macroAveragesMatchScikitLearnOnAHandCheckedCase() {
        // (predicted, true): sklearn.metrics on y_true = [0,0,0,1,1,2,2,1], y_pred = [0,0,1,1,2,2,2,0]
        // gives accuracy 0.625, precision_macro 0.611111, recall_macro 0.666667, f1_macro 0.622222
        ClassConfusion c = new ClassConfusion();
        double[][] cells = {{0, 0}, {0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {2, 2}, {0, 1}};
        for (double[] cell : cells) {
            c.add(cell[0], cell[1], 1);
        }
        assertThat(c.total()).isEqualTo(8);
        assertThat(c.accuracy()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(c.macroPrecision()).isCloseTo((2.0 / 3 + 1.0 / 2 + 2.0 / 3) / 3, within(1e-12));
        assertThat(c.macroRecall()).isCloseTo((2.0 / 3 + 1.0 / 3 + 1) / 3, within(1e-12));
        assertThat(c.macroF1()).isCloseTo((2.0 / 3 + 2.0 / 5 + 4.0 / 5) / 3, within(1e-12));
        assertThat(c.classes()).containsExactly(0.0, 1.0, 2.0);
        assertThat(c.matrix()).containsExactly(List.of(2L, 1L, 0L), List.of(1L, 1L, 1L), List.of(0L, 0L, 2L));
    }

    @Test
    void aClassNeverPredictedCountsZeroPrecisionAndOneNeverLabelledZeroRecall() {
        ClassConfusion c = new ClassConfusion();
        c.add(0, 0, 3);
        c.add(0, 1, 1);   // class 1 is labelled but never predicted
        c.add(2, 0, 2);   // class 2 is predicted but never labelled
        // class 0: P 3/4, R 3/5; class 1: P 0 (zero_division), R 0; class 2: P 0, R 0 (zero_division)
        assertThat(c.macroPrecision()).isCloseTo(0.75 / 3, within(1e-12));
        assertThat(c.macroRecall()).isCloseTo(0.6 / 3, within(1e-12));
        assertThat(c.macroF1()).isCloseTo(2.0 * 3 / (4 + 5) / 3, within(1e-12));
        assertThat(c.matrix()).containsExactly(List.of(3L, 0L, 2L), List.of(1L, 0L, 0L), List.of(0L, 0L, 0L));
    }

    @Test
    void nothingFedHasNoMetrics() {
        ClassConfusion c = new ClassConfusion();
        assertThat(c.accuracy()).isNull();
        assertThat(c.macroF1()).isNull();
        assertThat(c.matrix()).isEmpty();
    }
}
