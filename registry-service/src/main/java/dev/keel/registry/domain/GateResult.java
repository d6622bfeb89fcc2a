package dev.keel.registry.domain;

import java.util.List;
import java.util.Map;

/**
 * The deployment gate's verdict on a version about to enter production. {@code forced} means an
 * admin promoted it with {@code force=true}: the checks were still run and recorded, but not enforced.
 */
public record GateResult(boolean passed, boolean forced, Map<String, Double> thresholds, List<GateCheck> checks) {

    public List<GateCheck> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    public GateResult asForced() {
        return new GateResult(passed, true, thresholds, checks);
    }
}
