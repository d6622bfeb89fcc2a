package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statistic against values SciPy 1.10 / NumPy computed on the same small samples
 * ({@code src/test/resources/stats/scipy-reference.json}, made by {@code make_reference.py}
 * beside it). The samples go through the same streaming path a report uses.
 */
class StatisticsReferenceTest {

    private static final JsonNode REFERENCE = load();

    static Stream<Arguments> twoSampleCases() {
        List<Arguments> cases = new ArrayList<>();
        REFERENCE.get("two_sample").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoSampleCases")
    void everyMethodMatchesScipyOnTheSameSamples(String name, JsonNode c) {
        double[] ref = doubles(c.get("reference"));
        double[] cur = doubles(c.get("current"));
        boolean numerical = c.has("ks_statistic");
        FeatureReference reference = numerical ? NumericalReference.fromValues("x", ref) : categorical(ref);

        if (numerical) {
            MethodResult ks = measure(reference, cur, DriftMethod.KS);
            assertThat(ks.statistic()).isCloseTo(c.get("ks_statistic").asDouble(), within(1e-12));
            assertThat(ks.pValue()).isCloseTo(c.get("ks_pvalue").asDouble(), relative(c.get("ks_pvalue").asDouble(), 1e-9));
            MethodResult w = measure(reference, cur, DriftMethod.WASSERSTEIN);
            assertThat(w.statistic()).isCloseTo(c.get("wasserstein_norm").asDouble(), relative(c.get("wasserstein_norm").asDouble(), 1e-12));
            assertThat(WassersteinDistance.between(sorted(ref), sorted(cur)))
                    .isCloseTo(c.get("wasserstein").asDouble(), relative(c.get("wasserstein").asDouble(), 1e-12));
        }
        MethodResult js = measure(reference, cur, DriftMethod.JENSENSHANNON);
        assertThat(js.statistic()).isCloseTo(c.get("jensenshannon").asDouble(), within(1e-12));
        MethodResult psi = measure(reference, cur, DriftMethod.PSI);
        assertThat(psi.statistic()).isCloseTo(c.get("psi").asDouble(), relative(c.get("psi").asDouble(), 1e-10));

        boolean fewValues = !numerical || ((NumericalReference) reference).distinctCount() <= NumericalWindow.LOW_CARDINALITY;
        if (fewValues) {
            MethodResult chi = measure(reference, cur, DriftMethod.CHISQUARE);
            double expected = c.get("chisquare_statistic").asDouble();
            if (Double.isInfinite(expected)) {
                assertThat(chi.statistic()).isInfinite();
            } else {
                assertThat(chi.statistic()).isCloseTo(expected, relative(expected, 1e-10));
            }
            assertThat(chi.pValue()).isCloseTo(c.get("chisquare_pvalue").asDouble(),
                    relative(c.get("chisquare_pvalue").asDouble(), 1e-8));
        }
        if (c.has("z_statistic")) {
            MethodResult z = measure(reference, cur, DriftMethod.Z);
            assertThat(z.statistic()).isCloseTo(c.get("z_statistic").asDouble(), within(1e-12));
            assertThat(z.pValue()).isCloseTo(c.get("z_pvalue").asDouble(), relative(c.get("z_pvalue").asDouble(), 1e-9));
        }
    }

    @Test
    void theKolmogorovDistributionTailMatchesScipysKstwo() {
        for (JsonNode c : REFERENCE.get("kstwo_sf")) {
            double expected = c.get("sf").asDouble();
            assertThat(KolmogorovDistribution.sf(c.get("n").asInt(), c.get("x").asDouble()))
                    .as("kstwo.sf(%s, %s)", c.get("x"), c.get("n"))
                    .isCloseTo(expected, within(Math.max(1e-12, Math.abs(expected) * 1e-9)));
        }
    }

    @Test
    void largeSamplesUseScipysAsymptoticPValue() {
        for (JsonNode c : REFERENCE.get("ks_asymptotic")) {
            double expected = c.get("pvalue").asDouble();
            assertThat(KolmogorovSmirnov.pValue(c.get("d").asDouble(), c.get("n1").asLong(), c.get("n2").asLong()))
                    .as("n1=%s n2=%s d=%s", c.get("n1"), c.get("n2"), c.get("d"))
                    .isCloseTo(expected, relative(expected, 1e-9));
        }
    }

    static MethodResult measure(FeatureReference reference, double[] current, DriftMethod method) {
        Baseline baseline = new Baseline(reference.count(), List.of(reference));
        DriftPolicy policy = new DriftPolicy(Map.of(reference.name(), new MethodChoice(method, null)), null, null, 0.5, false);
        DatasetDrift drift = DriftCalculator.compute(baseline, policy, window -> {
            for (double v : current) {
                window.acceptRow(Map.of(reference.name(), v));
            }
        });
        return drift.features().get(0).result();
    }

    static CategoricalReference categorical(double[] values) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (double v : values) {
            counts.merge(CurrentWindow.toCategory(v), 1L, Long::sum);
        }
        return CategoricalReference.of("x", counts, 0);
    }

    static org.assertj.core.data.Offset<Double> relative(double expected, double tolerance) {
        return within(Math.max(Math.abs(expected) * tolerance, 1e-15));
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        java.util.Arrays.sort(copy);
        return copy;
    }

    private static JsonNode load() {
        try (InputStream in = StatisticsReferenceTest.class.getResourceAsStream("/stats/scipy-reference.json")) {
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
