package dev.keel.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartDiseaseGeneratorTest {

    @Test
    void rowsFollowTheSchemaRangesAndTheSeed() {
        HeartDiseaseGenerator a = new HeartDiseaseGenerator(7, Map.of());
        HeartDiseaseGenerator b = new HeartDiseaseGenerator(7, Map.of());
        double positives = 0;
        for (int i = 0; i < 5_000; i++) {
            double[] row = a.next();
            assertThat(row).containsExactly(b.next());
            assertThat(row).hasSize(14);
            assertThat(row[0]).isBetween(29.0, 77.0);
            assertThat(row[2]).isIn(0.0, 1.0, 2.0, 3.0);
            assertThat(row[4]).isBetween(126.0, 564.0);
            assertThat(row[9]).isBetween(0.0, 6.2);
            assertThat(row[12]).isIn(0.0, 1.0, 2.0, 3.0);
            positives += row[13];
        }
        assertThat(positives / 5_000).as("a learnable, roughly balanced target").isBetween(0.35, 0.65);
    }

    @Test
    void driftShiftsNumericFeaturesBinaryProbabilitiesAndCodes() {
        HeartDiseaseGenerator plain = new HeartDiseaseGenerator(3, Map.of());
        HeartDiseaseGenerator drifted = new HeartDiseaseGenerator(3, Map.of("age", 10.0, "fbs", 0.5, "thal", 1.0));
        double ageShift = 0;
        double fbsPlain = 0;
        double fbsDrifted = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double[] p = plain.next();
            double[] d = drifted.next();
            ageShift += d[0] - p[0];
            fbsPlain += p[5];
            fbsDrifted += d[5];
            assertThat(d[12]).as("thal pushed to its highest code").isEqualTo(3.0);
        }
        assertThat(ageShift / n).isCloseTo(10.0, within(0.5));
        assertThat(fbsDrifted / n - fbsPlain / n).isCloseTo(0.5, within(0.03));
        assertThatThrownBy(() -> new HeartDiseaseGenerator(1, Map.of("bmi", 1.0))).hasMessageContaining("unknown feature 'bmi'");
    }
}
