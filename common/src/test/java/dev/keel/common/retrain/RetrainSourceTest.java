package dev.keel.common.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetrainSourceTest {

    @Test
    void readsEachFormAndWritesItBack() {
        assertThat(RetrainSource.parse("auto")).isEqualTo(RetrainSource.AUTO);
        assertThat(RetrainSource.parse(" Feedback ").kind()).isEqualTo(RetrainSource.Kind.FEEDBACK);
        assertThat(RetrainSource.parse("latest")).hasToString("latest");
        RetrainSource dataset = RetrainSource.parse("dataset: 42");
        assertThat(dataset.kind()).isEqualTo(RetrainSource.Kind.DATASET);
        assertThat(dataset.datasetId()).isEqualTo(42L);
        assertThat(dataset).hasToString("dataset:42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "newest", "dataset:", "dataset:0", "dataset:-1", "dataset:x", "dataset:1234567890123456789"})
    void refusesAnythingElseNamingTheValidForms(String text) {
        assertThatThrownBy(() -> RetrainSource.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, latest, feedback or dataset:<id>");
    }

    @Test
    void cronsInQuartzAndUnixFormParseAndNonsenseDoesNot() {
        assertThat(RetrainCron.parse("0 0 2 ? * SUN")).isPresent();
        assertThat(RetrainCron.parse("0 3 * * 1")).isPresent();
        assertThat(RetrainCron.parse("every sunday")).isEmpty();
        assertThat(RetrainCron.parse("0 99 * * *")).isEmpty();
        assertThat(RetrainCron.parse("  ")).isEmpty();
        assertThat(RetrainCron.parse(null)).isEmpty();
    }
}
