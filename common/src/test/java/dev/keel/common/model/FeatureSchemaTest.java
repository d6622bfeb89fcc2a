package dev.keel.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.model.InvalidFeatureException.Reason;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests name their features; the schema turns them into model rows or says which field is wrong. */
class FeatureSchemaTest {

    // color is categorical, size numeric.
    private final XgbModel model = HandMadeModels.categorical();

    private static Map<String, Object> features(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void putsNamedFeaturesInModelOrder() {
        float[] row = model.toRow(features("size", 2.75, "color", 70), MissingValues.REJECT);
        assertThat(row).containsExactly(70f, 2.75f);
    }

    @Test
    void acceptsAnyNumberTypeAndBooleansAsZeroOrOne() {
        assertThat(model.toRow(features("color", 3L, "size", new BigDecimal("1.25")), MissingValues.REJECT))
                .containsExactly(3f, 1.25f);
        assertThat(model.toRow(features("color", true, "size", false), MissingValues.REJECT))
                .containsExactly(1f, 0f);
    }

    @Test
    void writesIntoTheCallersRow() {
        float[] row = new float[2];
        model.schema().toRow(features("color", 1, "size", 3.5f), MissingValues.REJECT, row);
        assertThat(row).containsExactly(1f, 3.5f);
    }

    @Test
    void rejectsAnUnknownFeatureNamingIt() {
        assertThatThrownBy(() -> model.toRow(features("color", 1, "size", 2, "weight", 80), MissingValues.ALLOW))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("weight");
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
                    assertThat(e).hasMessageContaining("unknown feature 'weight'").hasMessageContaining("[color, size]");
                });
    }

    @Test
    void reportsAMisspeltFeatureAsUnknownRatherThanTheRealOneAsMissing() {
        assertThatThrownBy(() -> model.toRow(features("colour", 1, "size", 2), MissingValues.REJECT))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> assertThat(e.field()).isEqualTo("colour"));
    }

    @Test
    void rejectsAMissingFeatureUnlessMissingValuesAreAllowed() {
        assertThatThrownBy(() -> model.toRow(features("color", 1), MissingValues.REJECT))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("size");
                    assertThat(e.reason()).isEqualTo(Reason.MISSING);
                    assertThat(e).hasMessage("feature 'size' is required");
                });
        assertThat(model.toRow(features("color", 1), MissingValues.ALLOW)).containsExactly(1f, Float.NaN);
    }

    @Test
    void treatsNullAsMissing() {
        assertThatThrownBy(() -> model.toRow(features("color", null, "size", 1), MissingValues.REJECT))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("color");
                    assertThat(e).hasMessage("feature 'color' is null");
                });
        assertThat(model.toRow(features("color", null, "size", 1), MissingValues.ALLOW)).containsExactly(Float.NaN, 1f);
    }

    @Test
    void rejectsAValueThatIsNotANumberWithoutEchoingIt() {
        assertThatThrownBy(() -> model.toRow(features("color", 1, "size", "large"), MissingValues.ALLOW))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("size");
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
                    assertThat(e).hasMessage("feature 'size' must be a number, not a string");
                });
        assertThatThrownBy(() -> model.toRow(features("color", 1, "size", Map.of("cm", 3)), MissingValues.ALLOW))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> assertThat(e).hasMessageContaining("not an object"));
    }

    @Test
    void rejectsNanUnlessMissingValuesAreAllowed() {
        assertThatThrownBy(() -> model.toRow(features("color", 1, "size", Double.NaN), MissingValues.REJECT))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("size");
                    assertThat(e.reason()).isEqualTo(Reason.NOT_FINITE);
                });
        assertThat(model.toRow(features("color", 1, "size", Double.NaN), MissingValues.ALLOW)).containsExactly(1f, Float.NaN);
    }

    @Test
    void alwaysRejectsInfiniteValues() {
        assertThatThrownBy(() -> model.toRow(features("color", 1, "size", Double.POSITIVE_INFINITY), MissingValues.ALLOW))
                .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                    assertThat(e.field()).isEqualTo("size");
                    assertThat(e.reason()).isEqualTo(Reason.NOT_FINITE);
                    assertThat(e).hasMessage("feature 'size' is infinite");
                });
    }

    @Test
    void rejectsCategoryCodesThatAreNotWholeNonNegativeNumbers() {
        for (Object bad : new Object[] {-1, 1.5, 2e7}) {
            assertThatThrownBy(() -> model.toRow(features("color", bad, "size", 1), MissingValues.REJECT))
                    .isInstanceOfSatisfying(InvalidFeatureException.class, e -> {
                        assertThat(e.field()).isEqualTo("color");
                        assertThat(e.reason()).isEqualTo(Reason.INVALID_CATEGORY);
                    });
        }
    }

    @Test
    void isAnIllegalArgumentSoGenericHandlersStillAnswerBadRequest() {
        assertThat(new InvalidFeatureException("x", Reason.MISSING, "m")).isInstanceOf(IllegalArgumentException.class);
    }
}
