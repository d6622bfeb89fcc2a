package dev.keel.common.stats.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselineStatisticsBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static BaselineStatisticsBuilder oneNumeric(double... values) {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(new FeatureSpec("x", FeatureType.NUMERIC)));
        for (double v : values) {
            builder.addNumber(0, v);
            builder.endRow();
        }
        return builder;
    }

    private static NumericBaseline numeric(BaselineStatistics stats) {
        return (NumericBaseline) stats.features().get(0);
    }

    @Test
    void numericMomentsMatchATwoPassComputationWithPopulationStd() {
        double[] values = new Random(1).doubles(5_000, -50, 250).toArray();
        NumericBaseline x = numeric(oneNumeric(values).build());

        double mean = Arrays.stream(values).average().orElseThrow();
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
        assertThat(x.count()).isEqualTo(5_000);
        assertThat(x.mean()).isCloseTo(mean, within(1e-9));
        assertThat(x.std()).isCloseTo(Math.sqrt(variance), within(1e-9));
        assertThat(x.min()).isEqualTo(Arrays.stream(values).min().orElseThrow());
        assertThat(x.max()).isEqualTo(Arrays.stream(values).max().orElseThrow());
    }

    @Test
    void belowTheSampleSizeTheSampleIsEveryValueSortedAndQuantilesAreExact() {
        double[] values = {5, 1, 4, 2, 3, 10, 7, 6, 9, 8};
        NumericBaseline x = numeric(oneNumeric(values).build());

        assertThat(x.sample()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(x.quantileProbabilities()).hasSize(21).startsWith(0.0, 0.05).endsWith(1.0);
        // type 7: h = (n - 1) p; the median of 1..10 is 5.5, the 0.25 quantile 3.25
        assertThat(x.quantiles().get(10)).isEqualTo(5.5);
        assertThat(x.quantiles().get(5)).isCloseTo(3.25, within(1e-12));
        assertThat(x.quantiles().get(0)).isEqualTo(1.0);
        assertThat(x.quantiles().get(20)).isEqualTo(10.0);
    }

    @Test
    void aboveTheSampleSizeTheSampleIsCappedUniformAndDeterministic() {
        double[] values = new double[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        NumericBaseline first = numeric(oneNumeric(values).build());
        NumericBaseline again = numeric(oneNumeric(values).build());

        assertThat(first.sample()).hasSize(BaselineStatisticsBuilder.DEFAULT_SAMPLE_SIZE).isSorted();
        assertThat(first.sample()).isEqualTo(again.sample());
        // a uniform sample of 0..199999 has its deciles near 20000, 40000, ...; early values are not favoured
        double[] sample = first.sample().stream().mapToDouble(Double::doubleValue).toArray();
        for (int decile = 1; decile < 10; decile++) {
            assertThat(NumericAccumulator.quantile(sample, decile / 10.0)).isCloseTo(decile * 20_000.0, within(2_500.0));
        }
        assertThat(first.quantiles().get(10)).isCloseTo(100_000.0, within(2_500.0));
        assertThat(first.min()).isEqualTo(0.0);
        assertThat(first.max()).isEqualTo(199_999.0);
    }

    @Test
    void histogramIsExactBelowTheSampleSize() {
        NumericBaseline x = numeric(oneNumeric(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20).build());

        assertThat(x.histogram().edges()).hasSize(21).startsWith(0.0, 1.0).endsWith(20.0);
        assertThat(x.histogram().counts()).hasSize(20);
        assertThat(x.histogram().counts().subList(0, 10)).containsOnly(1L);
        assertThat(x.histogram().counts().get(19)).as("the maximum falls in the last bin").isEqualTo(1L);
        assertThat(x.histogram().total()).isEqualTo(12);
    }

    @Test
    void histogramKeepsEveryValueWhenLaterValuesWidenTheRangeOnBothSides() {
        // the first 10,000 values span [0, 1); then the range grows to [-100, 100]
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(new FeatureSpec("x", FeatureType.NUMERIC)));
        Random random = new Random(7);
        long[] truth = new long[20];
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            double v = i < 10_000 ? random.nextDouble() : -100 + 200 * random.nextDouble();
            if (i == n - 1) {
                v = 100;
            }
            if (i == n - 2) {
                v = -100;
            }
            builder.addNumber(0, v);
            builder.endRow();
        }
        NumericBaseline x = numeric(builder.build());
        assertThat(x.min()).isEqualTo(-100.0);
        assertThat(x.max()).isEqualTo(100.0);
        assertThat(x.histogram().total()).isEqualTo(n);

        // recount against the published edges: each bin may differ by the values near its two edges
        Random replay = new Random(7);
        for (int i = 0; i < n; i++) {
            double v = i < 10_000 ? replay.nextDouble() : -100 + 200 * replay.nextDouble();
            if (i == n - 1) {
                v = 100;
            }
            if (i == n - 2) {
                v = -100;
            }
            truth[Math.min(19, (int) Math.floor((v + 100) / 10))]++;
        }
        for (int bin = 0; bin < 20; bin++) {
            assertThat(x.histogram().counts().get(bin)).as("bin %d", bin).isCloseTo(truth[bin], within(400L));
        }
    }

    @Test
    void aConstantFeatureHasOneBinWithEqualEdges() {
        double[] values = new double[12_000];
        Arrays.fill(values, 3.5);
        NumericBaseline x = numeric(oneNumeric(values).build());

        assertThat(x.std()).isEqualTo(0.0);
        assertThat(x.histogram().edges()).containsExactly(3.5, 3.5);
        assertThat(x.histogram().counts()).containsExactly(12_000L);
    }

    @Test
    void missingValuesAreCountedApartFromTheDistribution() {
        NumericBaseline x = numeric(oneNumeric(1, Double.NaN, 3, Double.NaN).build());

        assertThat(x.count()).isEqualTo(2);
        assertThat(x.missing()).isEqualTo(2);
        assertThat(x.mean()).isEqualTo(2.0);
        assertThat(x.sample()).containsExactly(1.0, 3.0);
    }

    @Test
    void aNumericFeatureWithNoValuesHasNoMoments() {
        NumericBaseline x = numeric(oneNumeric(Double.NaN, Double.NaN).build());

        assertThat(x.count()).isZero();
        assertThat(x.mean()).isNull();
        assertThat(x.std()).isNull();
        assertThat(x.sample()).isEmpty();
        assertThat(x.histogram().counts()).isEmpty();
    }

    @Test
    void categoricalAndBooleanFeaturesCountCategoriesSortedByName() {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(
                new FeatureSpec("thal", FeatureType.CATEGORICAL), new FeatureSpec("fbs", FeatureType.BOOLEAN)));
        String[] thal = {"reversible", "normal", "fixed", "normal", null};
        Boolean[] fbs = {true, false, false, null, false};
        for (int i = 0; i < thal.length; i++) {
            builder.addCategory(0, thal[i]);
            builder.addBoolean(1, fbs[i]);
            builder.endRow();
        }
        BaselineStatistics stats = builder.build();

        CategoricalBaseline t = (CategoricalBaseline) stats.feature("thal").orElseThrow();
        assertThat(t.categoryCounts()).containsExactly(
                java.util.Map.entry("fixed", 1L), java.util.Map.entry("normal", 2L), java.util.Map.entry("reversible", 1L));
        assertThat(t.missing()).isEqualTo(1);
        assertThat(t.frequency("normal")).isEqualTo(0.5);
        CategoricalBaseline f = (CategoricalBaseline) stats.feature("fbs").orElseThrow();
        assertThat(f.type()).isEqualTo(FeatureType.BOOLEAN);
        assertThat(f.categoryCounts()).containsExactly(java.util.Map.entry("false", 3L), java.util.Map.entry("true", 1L));
        assertThat(stats.referenceRows()).isEqualTo(5);
    }

    @Test
    void jsonIsSnakeCaseTypedPerFeatureAndReadsBackEqual() throws Exception {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(
                new FeatureSpec("age", FeatureType.NUMERIC), new FeatureSpec("cp", FeatureType.CATEGORICAL)));
        for (int i = 0; i < 50; i++) {
            builder.addNumber(0, 30 + i);
            builder.addCategory(1, i % 3 == 0 ? "typical" : "atypical");
            builder.endRow();
        }
        BaselineStatistics stats = builder.build();

        String json = JSON.writeValueAsString(stats);
        JsonNode tree = JSON.readTree(json);
        assertThat(tree.get("format_version").asInt()).isEqualTo(1);
        assertThat(tree.get("reference_rows").asLong()).isEqualTo(50);
        assertThat(tree.at("/features/0/type").asText()).isEqualTo("numeric");
        assertThat(tree.at("/features/0/quantile_probabilities").size()).isEqualTo(21);
        assertThat(tree.at("/features/0/histogram/edges").size()).isEqualTo(21);
        assertThat(tree.at("/features/1/type").asText()).isEqualTo("categorical");
        assertThat(tree.at("/features/1/category_counts/typical").asLong()).isEqualTo(17);

        assertThat(JSON.readValue(json, BaselineStatistics.class)).isEqualTo(stats);
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        String json = "{\"format_version\": 99, \"reference_rows\": 0, \"features\": []}";
        assertThatThrownBy(() -> JSON.readValue(json, BaselineStatistics.class))
                .hasMessageContaining("format 99 is not supported");
    }

    @Test
    void aRowThatSkipsAFeatureIsCaughtAtBuild() {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(
                new FeatureSpec("a", FeatureType.NUMERIC), new FeatureSpec("b", FeatureType.NUMERIC)));
        builder.addNumber(0, 1);
        builder.endRow();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("feature 'b' was reported 0 times in 1 rows");
    }

    @Test
    void aValueOfTheWrongKindIsRejected() {
        BaselineStatisticsBuilder builder = new BaselineStatisticsBuilder(List.of(new FeatureSpec("cp", FeatureType.CATEGORICAL)));
        assertThatThrownBy(() -> builder.addNumber(0, 1.0)).hasMessageContaining("'cp' is categorical, not numeric");
        BaselineStatisticsBuilder numeric = new BaselineStatisticsBuilder(List.of(new FeatureSpec("x", FeatureType.NUMERIC)));
        assertThatThrownBy(() -> numeric.addNumber(0, Double.POSITIVE_INFINITY)).hasMessageContaining("infinite");
    }
}
