package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a report judges drift: per-feature overrides, then per-kind overrides (all numerical or all
 * categorical features of a model), then Evidently's defaults; and the share of drifted features
 * that makes the dataset drifted. {@code allMethods} also computes every applicable method beside
 * the chosen one (the benchmark and comparisons use it).
 */
public record DriftPolicy(Map<String, MethodChoice> features, MethodChoice numerical, MethodChoice categorical,
                          double driftShare, boolean allMethods) {

    public DriftPolicy {
        features = features == null ? Map.of() : Map.copyOf(features);
        numerical = numerical == null ? MethodChoice.DEFAULT : numerical;
        categorical = categorical == null ? MethodChoice.DEFAULT : categorical;
    }

    public static DriftPolicy evidentlyDefaults() {
        return new DriftPolicy(Map.of(), MethodChoice.DEFAULT, MethodChoice.DEFAULT, EvidentlyDefaults.DRIFT_SHARE, false);
    }

    public DriftPolicy withAllMethods() {
        return new DriftPolicy(features, numerical, categorical, driftShare, true);
    }

    /** The narrower policy wins where it says something; {@code wider} fills the rest. */
    public DriftPolicy over(DriftPolicy wider) {
        Map<String, MethodChoice> merged = new java.util.HashMap<>(wider.features);
        features.forEach((name, choice) -> merged.merge(name, choice, (w, n) -> n.orElse(w)));
        return new DriftPolicy(merged, numerical.orElse(wider.numerical), categorical.orElse(wider.categorical),
                driftShare, allMethods || wider.allMethods);
    }

    public MethodChoice choiceFor(FeatureReference feature) {
        MethodChoice kind = feature.numerical() ? numerical : categorical;
        return features.getOrDefault(feature.name(), MethodChoice.DEFAULT).orElse(kind);
    }

    /** Problems with this policy for a baseline, one line each naming the feature; empty when fine. */
    public List<String> problemsWith(Baseline baseline) {
        List<String> problems = new ArrayList<>();
        for (String name : features.keySet()) {
            if (baseline.feature(name).isEmpty()) {
                problems.add(name + ": no such feature in the baseline");
            }
        }
        for (FeatureReference f : baseline.features()) {
            MethodChoice choice = choiceFor(f);
            if (choice.method() != null && !choice.method().appliesTo(f.numerical())) {
                problems.add(f.name() + ": method '" + choice.method().id() + "' does not apply to a "
                        + (f.numerical() ? "numerical" : "categorical") + " feature");
            }
            if (choice.method() != null && f instanceof NumericalReference n
                    && (choice.method() == DriftMethod.CHISQUARE || choice.method() == DriftMethod.Z)
                    && n.distinctCount() > NumericalWindow.LOW_CARDINALITY) {
                problems.add(f.name() + ": method '" + choice.method().id() + "' needs a feature with at most "
                        + NumericalWindow.LOW_CARDINALITY + " distinct values");
            }
            if (choice.threshold() != null && !(choice.threshold() >= 0)) {
                problems.add(f.name() + ": threshold must be a number ≥ 0");
            }
        }
        return problems;
    }
}
