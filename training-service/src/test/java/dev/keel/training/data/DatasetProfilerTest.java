package dev.keel.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.stats.baseline.FeatureType;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetProfilerTest {

    private static DatasetProfile profile(String csv) throws IOException {
        return profile(csv, null, null);
    }

    private static DatasetProfile profile(String csv, String target, String positive) throws IOException {
        return new DatasetProfiler(target, positive, 5, 2).profile(new StringReader(csv));
    }

    @Test
    void typesAreInferredFromTheValues() throws IOException {
        DatasetProfile p = profile("""
                age,smoker,fasting,thal,ca,y
                63,yes,1,fixed,0,1
                41,no,0,normal,2.5,0
                57,NO,0,normal,,0
                62,Yes,1,reversible,?,1
                """);

        assertThat(p.columns()).containsExactly(
                ColumnSpec.numeric("age"), ColumnSpec.bool("smoker"), ColumnSpec.bool("fasting"),
                ColumnSpec.categorical("thal", List.of("fixed", "normal", "reversible")), ColumnSpec.numeric("ca"),
                ColumnSpec.bool("y"));
        assertThat(p.features()).extracting(ColumnSpec::name).containsExactly("age", "smoker", "fasting", "thal", "ca");
        assertThat(p.validation().missingValues()).containsEntry("ca", 2L).containsEntry("age", 0L);
    }

    @Test
    void digitsOfOtherScriptsAreTextNotNumbers() throws IOException {
        // Arabic-Indic and fullwidth digits: categories, not a NumberFormatException (a 500) in the profiler
        DatasetProfile p = profile("age,t\n\u0664\u0665,1\n\uFF14\uFF15,0\n45,1\n\u0664\u0665,0\n");
        assertThat(p.columns().get(0)).isEqualTo(ColumnSpec.categorical("age", List.of("45", "\u0664\u0665", "\uFF14\uFF15")));
    }

    @Test
    void aNumberBeyondFloatRangeIsRefusedAtUploadNotInEveryRun() {
        assertThatThrownBy(() -> profile("x,t\n1,0\n1e39,1\n2,0\n"))
                .isInstanceOf(DatasetRejection.class)
                .hasMessage("Column 'x' has 1e39 on line 3, beyond the range of the 32-bit floats XGBoost trains on (about ±3.4e38)");
    }

    @Test
    void theReportCountsDuplicatesConstantsAndClassBalance() throws IOException {
        DatasetProfile p = profile("""
                a,k,empty,label
                1,5,,x
                1,5,,x
                2,5,,y
                3,5.0,,y
                4,5,,y
                """);

        ValidationReport v = p.validation();
        assertThat(v.duplicateRows()).isEqualTo(1);
        assertThat(v.constantColumns()).containsExactly("k", "empty");
        assertThat(v.classBalance()).containsExactly(Map.entry("x", 2L), Map.entry("y", 3L));
        assertThat(v.positiveClass()).as("the last class alphabetically").isEqualTo("y");
        assertThat(v.minorityShare()).isEqualTo(0.4);
        assertThat(v.tooFewRowsPerClass()).isFalse();
        assertThat(v.trainable()).isTrue();
        assertThat(v.warnings()).anyMatch(w -> w.contains("'k' is constant"))
                .anyMatch(w -> w.contains("'empty' is constant (every value is missing)"))
                .anyMatch(w -> w.contains("1 rows duplicate"));
    }

    @Test
    void thePositiveClassIsTheLargerNumberTheTrueWordOrTheRequestedOne() throws IOException {
        assertThat(profile("a,t\n1,0\n2,1.0\n3,1\n").validation().positiveClass()).isEqualTo("1");
        assertThat(profile("a,t\n1,yes\n2,no\n").validation().positiveClass()).isEqualTo("yes");
        assertThat(profile("a,t\n1,present\n2,absent\n", null, "absent").validation().positiveClass()).isEqualTo("absent");
        assertThatThrownBy(() -> profile("a,t\n1,present\n2,absent\n", null, "maybe"))
                .isInstanceOf(DatasetRejection.class).hasMessageContaining("'maybe' is not one of the target's classes");
    }

    @Test
    void tooFewRowsOfAClassMakeTheDatasetUntrainable() throws IOException {
        ValidationReport v = profile("a,t\n1,0\n2,0\n3,0\n4,1\n").validation();

        assertThat(v.tooFewRowsPerClass()).isTrue();
        assertThat(v.trainable()).isFalse();
        assertThat(v.warnings()).anyMatch(w -> w.equals("Class '1' has only 1 rows; training needs at least 2 of each class"));
    }

    @Test
    void aTextColumnWithMoreDistinctValuesThanACategoryMayHaveIsRefused() {
        assertThatThrownBy(() -> profile("id,t\na,0\nb,1\nc,0\nd,1\ne,0\nf,1\n"))
                .isInstanceOf(DatasetRejection.class)
                .hasMessageContaining("Column 'id' has more than 5 distinct text values (the 6th on line 7)");
    }

    @Test
    void mostlyNumbersWithSomeTextIsGarbageButMostlyTextIsCategories() throws IOException {
        StringBuilder numbers = new StringBuilder("x,t\n");
        for (int i = 0; i < 30; i++) {
            numbers.append(i).append(',').append(i % 2).append('\n');
        }
        numbers.append("n/a?,1\n");
        assertThatThrownBy(() -> profile(numbers.toString()))
                .isInstanceOf(DatasetRejection.class).hasMessageContaining("line 32 has 'n/a?'")
                .extracting(e -> ((DatasetRejection) e).field()).isEqualTo("x");

        DatasetProfile mixed = profile("size,t\nS,0\nM,1\nL,0\n42,1\n");
        assertThat(mixed.columns().get(0).type()).isEqualTo(FeatureType.CATEGORICAL);
        assertThat(mixed.columns().get(0).categories()).containsExactly("42", "L", "M", "S");
    }

    @Test
    void headerProblemsAreNamed() {
        assertThatThrownBy(() -> profile("a,,t\n1,2,0\n")).hasMessageContaining("Column 2 of the header (line 1) has no name");
        assertThatThrownBy(() -> profile("a,a,t\n1,2,0\n")).hasMessageContaining("names the column 'a' twice");
        assertThatThrownBy(() -> profile("t\n0\n")).hasMessageContaining("at least one feature column and a target column");
    }
}
