package dev.keel.drift.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request's policy over a model's configured one: whatever the request says wins, the configuration fills the rest. */
class DriftPolicyTest {

    private static final FeatureReference AGE = NumericalReference.fromValues("age", new double[] {30, 41, 52, 63, 74});
    private static final FeatureReference CHOL = NumericalReference.fromValues("chol", new double[] {180, 210, 240, 270});

    /** The model's configuration: PSI at 0.2 for age, Jensen–Shannon for every other numerical feature. */
    private static final DriftPolicy CONFIGURED = new DriftPolicy(
            Map.of("age", new MethodChoice(DriftMethod.PSI, 0.2)),
            new MethodChoice(DriftMethod.JENSENSHANNON, null), null, 0.5, false);

    @Test
    void aRequestsMethodForAKindBeatsTheConfigurationsMethodForAFeatureOfThatKind() {
        DriftPolicy request = new DriftPolicy(Map.of(), new MethodChoice(DriftMethod.KS, null), null, 0.5, false);

        DriftPolicy policy = request.over(CONFIGURED);

        // and PSI's 0.2 does not come along: it would be read as KS's p-value threshold
        assertThat(policy.choiceFor(AGE)).isEqualTo(new MethodChoice(DriftMethod.KS, null));
        assertThat(policy.choiceFor(CHOL)).isEqualTo(new MethodChoice(DriftMethod.KS, null));
    }

    @Test
    void whatTheRequestLeavesOpenComesFromTheConfiguration() {
        assertThat(DriftPolicy.evidentlyDefaults().over(CONFIGURED).choiceFor(AGE))
                .isEqualTo(new MethodChoice(DriftMethod.PSI, 0.2));
        assertThat(DriftPolicy.evidentlyDefaults().over(CONFIGURED).choiceFor(CHOL))
                .isEqualTo(new MethodChoice(DriftMethod.JENSENSHANNON, null));
        // a threshold alone applies to the method the configuration chose
        DriftPolicy threshold = new DriftPolicy(Map.of(), new MethodChoice(null, 0.01), null, 0.5, false);
        assertThat(threshold.over(CONFIGURED).choiceFor(AGE)).isEqualTo(new MethodChoice(DriftMethod.PSI, 0.01));
        // the same method keeps the configuration's threshold
        DriftPolicy samePsi = new DriftPolicy(Map.of("age", new MethodChoice(DriftMethod.PSI, null)), null, null, 0.5, false);
        assertThat(samePsi.over(CONFIGURED).choiceFor(AGE)).isEqualTo(new MethodChoice(DriftMethod.PSI, 0.2));
    }

    @Test
    void withinOnePolicyAFeaturesOwnMethodDoesNotTakeItsKindsThreshold() {
        DriftPolicy policy = new DriftPolicy(Map.of("age", new MethodChoice(DriftMethod.WASSERSTEIN, null)),
                new MethodChoice(DriftMethod.KS, 0.01), null, 0.5, false);
        assertThat(policy.choiceFor(AGE)).isEqualTo(new MethodChoice(DriftMethod.WASSERSTEIN, null));
        assertThat(policy.choiceFor(CHOL)).isEqualTo(new MethodChoice(DriftMethod.KS, 0.01));
    }

    @Test
    void aThresholdAboveOneIsRefusedWhereItIsAPValue() {
        FeatureReference large = NumericalReference.fromValues("large", java.util.stream.IntStream.range(0, 1001)
                .mapToDouble(i -> i).toArray());
        Baseline baseline = new Baseline(1001, java.util.List.of(AGE, large));
        // Evidently's default for a reference of up to 1,000 values is a test, a distance above
        DriftPolicy two = new DriftPolicy(Map.of(), new MethodChoice(null, 2.0), null, 0.5, false);
        assertThat(two.problemsWith(baseline)).singleElement().asString()
                .startsWith("age: threshold 2.0 is the p-value of the default test");
        DriftPolicy ks = new DriftPolicy(Map.of("large", new MethodChoice(DriftMethod.KS, 1.5)), null, null, 0.5, false);
        assertThat(ks.problemsWith(baseline)).containsExactly("large: threshold 1.5 is the p-value of method 'ks', from 0 to 1");
        DriftPolicy infinite = new DriftPolicy(Map.of("large", new MethodChoice(DriftMethod.PSI, Double.POSITIVE_INFINITY)),
                null, null, 0.5, false);
        assertThat(infinite.problemsWith(baseline)).containsExactly("large: threshold must be a finite number ≥ 0");
        assertThat(new DriftPolicy(Map.of("large", new MethodChoice(DriftMethod.PSI, 2.0)), null, null, 0.5, false)
                .problemsWith(baseline)).isEmpty();
    }
}
