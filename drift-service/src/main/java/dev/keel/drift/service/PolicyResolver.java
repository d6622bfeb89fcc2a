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
            overrides.features().forEach((name, choice) -> features.put(name,
                    new MethodChoice(method(choice.method(), "features." + name + ".method"), choice.threshold())));
        }
        DriftPolicy requested = new DriftPolicy(features,
                new MethodChoice(method(overrides.numericalMethod(), "numerical_method"), overrides.numericalThreshold()),
                new MethodChoice(method(overrides.categoricalMethod(), "categorical_method"), overrides.categoricalThreshold()),
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
