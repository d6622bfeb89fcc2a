package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes a {@link DatasetDrift} of a current window against a baseline by streaming the window:
 * a first scan accumulates every feature; a second runs only when some feature needs Sturges bins
 * (their edges span the whole window's range). Nothing the size of the window is ever held.
 */
public final class DriftCalculator {

    /** A re-readable stream of current rows (a query, a file, an in-memory window). */
    @FunctionalInterface
    public interface CurrentData {
        void scan(CurrentWindow window);
    }

    private DriftCalculator() {
    }

    public static DatasetDrift compute(Baseline baseline, DriftPolicy policy, CurrentData data) {
        List<String> problems = policy.problemsWith(baseline);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        CurrentWindow window = new CurrentWindow(baseline, policy);
        data.scan(window);
        window.flush();

        List<FeatureReference> features = baseline.features();
        DriftMethod[] chosen = new DriftMethod[features.size()];
        boolean second = false;
        for (int i = 0; i < features.size(); i++) {
            FeatureReference f = features.get(i);
            NumericalWindow nw = window.numerical(i);
            long current = nw != null ? nw.count() : window.categorical(i).count();
            if (current == 0) {
                continue;
            }
            long distinct = nw != null ? nw.distinctValues() : window.categorical(i).distinctValues();
            DriftMethod method = policy.choiceFor(f).method();
            chosen[i] = method != null ? method : EvidentlyDefaults.methodFor(f.numerical(), f.count(), distinct);
            if (nw != null && (nw.needsSturges(chosen[i]) || (policy.allMethods() && !nw.lowCardinality()))) {
                nw.prepareSturges();
                second = true;
            }
        }
        if (second) {
            window.startSecondPass();
            data.scan(window);
            window.flush();
        }

        List<FeatureDrift> results = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            results.add(evaluate(features.get(i), window, i, chosen[i], policy));
        }
        return DatasetDrift.of(baseline.rowCount(), window.rows(), results, policy.driftShare());
    }

    private static FeatureDrift evaluate(FeatureReference f, CurrentWindow window, int i, DriftMethod method,
                                         DriftPolicy policy) {
        NumericalWindow nw = window.numerical(i);
        CategoricalWindow cw = window.categorical(i);
        String type = f.numerical() ? "numerical" : "categorical";
        long count = nw != null ? nw.count() : cw.count();
        long missing = nw != null ? nw.missing() : cw.missing();
        long distinct = nw != null ? nw.distinctValues() : cw.distinctValues();
        if (method == null) {
            return new FeatureDrift(f.name(), type, f.count(), 0, missing, distinct, null, List.of(), List.of());
        }
        Double threshold = policy.choiceFor(f).threshold();
        MethodResult result = measure(method, threshold == null ? method.defaultThreshold() : threshold, nw, cw);
        List<MethodResult> alternatives = new ArrayList<>();
        if (policy.allMethods()) {
            for (DriftMethod other : DriftMethod.values()) {
                if (other != method && applicable(other, f, nw, distinct)) {
                    alternatives.add(measure(other, other.defaultThreshold(), nw, cw));
                }
            }
        }
        return new FeatureDrift(f.name(), type, f.count(), count, missing, distinct, result, alternatives,
                nw != null ? nw.histogram() : cw.histogram());
    }

    private static boolean applicable(DriftMethod method, FeatureReference f, NumericalWindow nw, long distinct) {
        if (!method.appliesTo(f.numerical())) {
            return false;
        }
        return switch (method) {
            case KS, WASSERSTEIN, JENSENSHANNON, PSI -> true;
            case PSI_QUANTILE -> nw != null;
            case CHISQUARE -> nw == null || nw.lowCardinality();
            case Z -> distinct <= 2;
        };
    }

    static MethodResult measure(DriftMethod method, double threshold, NumericalWindow nw, CategoricalWindow cw) {
        return switch (method) {
            case KS -> {
                TestResult r = nw.ks();
                yield result(method, threshold, r, r.statistic());
            }
            case WASSERSTEIN -> {
                double w = WassersteinDistance.normalised(nw.wasserstein(), nw.reference().std());
                yield result(method, threshold, TestResult.distance(w), Math.min(1.0, w));
            }
            case CHISQUARE -> {
                Buckets b = buckets(nw, cw);
                yield result(method, threshold, b.chiSquare(), b.totalVariation());
            }
            case Z -> {
                Buckets b = buckets(nw, cw);
                yield result(method, threshold, b.zTest(), b.totalVariation());
            }
            case JENSENSHANNON -> {
                double js = buckets(nw, cw).jensenShannon();
                yield result(method, threshold, TestResult.distance(js), Math.min(1.0, js));
            }
            case PSI -> {
                double psi = buckets(nw, cw).psi();
                yield result(method, threshold, TestResult.distance(psi), Math.min(1.0, psi));
            }
            case PSI_QUANTILE -> {
                double psi = nw.decileBuckets().psi();
                yield result(method, threshold, TestResult.distance(psi), Math.min(1.0, psi));
            }
        };
    }

    private static Buckets buckets(NumericalWindow nw, CategoricalWindow cw) {
        return nw != null ? nw.evidentlyBuckets() : cw.buckets();
    }

    private static MethodResult result(DriftMethod method, double threshold, TestResult r, double score) {
        double s = Double.isNaN(score) ? 0.0 : Math.max(0.0, Math.min(1.0, score));
        return new MethodResult(method, threshold, r.statistic(), r.hasPValue() ? r.pValue() : null, s,
                method.drifted(r, threshold));
    }
}
