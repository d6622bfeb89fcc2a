package dev.keel.drift.service;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.stats.DriftMethod;
import dev.keel.drift.stats.DriftPolicy;
import dev.keel.drift.stats.MethodChoice;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns configuration (per model) and a request's overrides (per report) into one
 * {@link DriftPolicy}: the request wins over the model's configuration, which wins over
 * Evidently's defaults.
 */
@ApplicationScoped
public class PolicyResolver {

    /**
     * The largest threshold a request may set: past it no distance Keel measures is met in practice
     * (a normalised Wasserstein distance of a thousand reference standard deviations), and p-values
     * stop at 1.
     */
    static final double MAX_THRESHOLD = 1000;

    private final DriftConfig config;

    public PolicyResolver(DriftConfig config) {
        this.config = config;
    }

    /**
     * Overrides a request may carry. {@code allMethods} adds, beside each feature's chosen method,
     * the figures of every other method that applies to it (each at its default threshold).
     */
    public record Overrides(String numericalMethod, Double numericalThreshold, String categoricalMethod,
                            Double categoricalThreshold, Map<String, MethodChoiceRequest> features, Double driftShare,
                            boolean allMethods) {

        public static final Overrides NONE = new Overrides(null, null, null, null, Map.of(), null, false);
    }

    /** A feature's override as a request names it. */
    public record MethodChoiceRequest(String method, Double threshold) {
    }

    public DriftPolicy policyFor(String model, Overrides overrides) {
        DriftPolicy configured = configured(model);
        if (overrides == null) {
            return configured;
        }
        Map<String, MethodChoice> features = new HashMap<>();
        if (overrides.features() != null) {
            overrides.features().forEach((name, choice) -> {
                if (choice == null) {
                    throw ProblemException.badRequest("features." + name, "features." + name
                            + ": must be an object such as {\"method\": \"psi\", \"threshold\": 0.2}");
                }
                features.put(name, choice(choice.method(), choice.threshold(), "features." + name + "."));
            });
        }
        DriftPolicy requested = new DriftPolicy(features,
                choice(overrides.numericalMethod(), overrides.numericalThreshold(), "numerical_"),
                choice(overrides.categoricalMethod(), overrides.categoricalThreshold(), "categorical_"),
                overrides.driftShare() != null ? overrides.driftShare() : configured.driftShare(), overrides.allMethods());
        if (requested.driftShare() <= 0 || requested.driftShare() > 1) {
            throw ProblemException.badRequest("drift_share", "drift_share must be in (0, 1]");
        }
        return requested.over(configured);
    }

    private DriftPolicy configured(String model) {
        DriftConfig.ModelPolicy policy = config.models().get(model);
        if (policy == null) {
            return new DriftPolicy(Map.of(), null, null, config.driftShare(), false);
        }
        String prefix = "keel.drift.models." + model + ".";
        Map<String, MethodChoice> features = new HashMap<>();
        policy.features().forEach((name, f) -> features.put(name, new MethodChoice(
                method(f.method().orElse(null), prefix + "features." + name + ".method"), f.threshold().orElse(null))));
        return new DriftPolicy(features,
                new MethodChoice(method(policy.numericalMethod().orElse(null), prefix + "numerical-method"),
                        policy.numericalThreshold().orElse(null)),
                new MethodChoice(method(policy.categoricalMethod().orElse(null), prefix + "categorical-method"),
                        policy.categoricalThreshold().orElse(null)),
                config.driftShare(), false);
    }

    /** A requested method and threshold, the fields named {@code prefix}method and {@code prefix}threshold. */
    private static MethodChoice choice(String methodId, Double threshold, String prefix) {
        DriftMethod method = method(methodId, prefix + "method");
        if (threshold != null) {
            String field = prefix + "threshold";
            if (method != null && method.testsPValue() && !(threshold >= 0 && threshold <= 1)) {
                throw ProblemException.badRequest(field, field + ": must be a p-value from 0 to 1 for method '"
                        + method.id() + "'");
            }
            // also refuses 1e400, read as infinity, which was stored as "Infinity"
            if (!(threshold >= 0 && threshold <= MAX_THRESHOLD)) {
                throw ProblemException.badRequest(field, field + ": must be a number from 0 to " + (int) MAX_THRESHOLD
                        + " (a p-value from 0 to 1 for ks, chisquare and z; a distance for the others)");
            }
        }
        return new MethodChoice(method, threshold);
    }

    private static DriftMethod method(String id, String field) {
        if (id == null) {
            return null;
        }
        return DriftMethod.byId(id).orElseThrow(() -> ProblemException.badRequest(field, "Unknown drift method '" + id
                + "'; expected one of ks, chisquare, z, wasserstein, jensenshannon, psi, psi_quantile"));
    }

    /** 422 listing every problem of a policy with a baseline. */
    public static void requireValid(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = problems.stream()
                .map(p -> new Problem.FieldError("features." + p.substring(0, p.indexOf(':')), p.substring(p.indexOf(':') + 2)))
                .toList();
        throw ProblemException.unprocessable(problems.size() == 1 ? problems.get(0) : problems.size() + " method choices are invalid", errors);
    }
}
