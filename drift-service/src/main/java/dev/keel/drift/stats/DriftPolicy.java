package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a report judges drift: per-feature overrides, then per-kind overrides (all numerical or all
 * categorical features of a model), then Evidently's defaults; and the share of drifted features
 * that makes the dataset drifted. {@code allMethods} also computes every applicable method beside
 * the chosen one. {@code wider} is the policy this one was laid over ({@link #over}): a request's
 * over the model's configuration, so that whatever the request says, per feature or per kind, beats
 * anything the configuration says, and the configuration only fills what the request leaves open.
 */
public record DriftPolicy(Map<String, MethodChoice> features, MethodChoice numerical, MethodChoice categorical,
                          double driftShare, boolean allMethods, DriftPolicy wider) {

    public DriftPolicy {
        features = features == null ? Map.of() : Map.copyOf(features);
        numerical = numerical == null ? MethodChoice.DEFAULT : numerical;
        categorical = categorical == null ? MethodChoice.DEFAULT : categorical;
    }

    /** A policy of its own, laid over nothing. */
    public DriftPolicy(Map<String, MethodChoice> features, MethodChoice numerical, MethodChoice categorical,
                       double driftShare, boolean allMethods) {
        this(features, numerical, categorical, driftShare, allMethods, null);
    }

    public static DriftPolicy evidentlyDefaults() {
        return new DriftPolicy(Map.of(), MethodChoice.DEFAULT, MethodChoice.DEFAULT, EvidentlyDefaults.DRIFT_SHARE, false);
    }

    public DriftPolicy withAllMethods() {
        return new DriftPolicy(features, numerical, categorical, driftShare, true, wider);
    }

    /** This policy first, {@code wider} for whatever it leaves open; this one's drift share. */
    public DriftPolicy over(DriftPolicy wider) {
        return new DriftPolicy(features, numerical, categorical, driftShare, allMethods || wider.allMethods,
                this.wider == null ? wider : this.wider.over(wider));
    }

    /** This policy's own choice for the feature (its per-feature entry, then its per-kind one), gaps filled by the wider policy's. */
    public MethodChoice choiceFor(FeatureReference feature) {
        MethodChoice kind = feature.numerical() ? numerical : categorical;
        MethodChoice own = layered(features.getOrDefault(feature.name(), MethodChoice.DEFAULT), kind);
        return wider == null ? own : layered(own, wider.choiceFor(feature));
    }

    /**
     * {@code top}, its gaps filled from {@code below}; a threshold is only taken along with its method
     * (a PSI threshold below a KS choice above would be read as a p-value).
     */
    private static MethodChoice layered(MethodChoice top, MethodChoice below) {
        if (top.method() == null || top.threshold() != null) {
            return top.orElse(below);
        }
        return top.method() == below.method() ? new MethodChoice(top.method(), below.threshold()) : top;
    }

    /** The features named by this policy or one it was laid over. */
    private java.util.Set<String> namedFeatures() {
        java.util.Set<String> names = new java.util.TreeSet<>(features.keySet());
        if (wider != null) {
            names.addAll(wider.namedFeatures());
        }
        return names;
    }

    /** Whether a feature's method, or Evidently's default for it when none is chosen, tests a p-value. */
    private static boolean testsPValue(FeatureReference f, DriftMethod method) {
        // the default depends on the distinct values too, but whether it is a test only on the reference's size
        return method != null ? method.testsPValue() : f.count() <= EvidentlyDefaults.SMALL_REFERENCE;
    }

    /** Problems with this policy for a baseline, one line each naming the feature; empty when fine. */
    public List<String> problemsWith(Baseline baseline) {
        List<String> problems = new ArrayList<>();
        for (String name : namedFeatures()) {
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
            if (choice.threshold() != null && !(choice.threshold() >= 0 && choice.threshold() < Double.POSITIVE_INFINITY)) {
                problems.add(f.name() + ": threshold must be a finite number ≥ 0");
            } else if (choice.threshold() != null && choice.threshold() > 1 && testsPValue(f, choice.method())) {
                problems.add(f.name() + ": threshold " + choice.threshold() + " is the p-value of "
                        + (choice.method() != null ? "method '" + choice.method().id() + "'" : "the default test (a reference of "
                        + f.count() + " values)") + ", from 0 to 1");
            }
        }
        return problems;
    }
}
