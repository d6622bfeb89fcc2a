package dev.keel.training.client;

import java.util.List;

/**
 * What the registry did with a stage change: applied, or refused (409) with the checks that failed,
 * and the request field the refusal names, if any ({@code expected_production_version}: production
 * moved on since the decision).
 */
public record StageOutcome(boolean applied, String detail, List<String> failedChecks, String field) {

    public static StageOutcome done() {
        return new StageOutcome(true, null, List.of(), null);
    }

    /** Refused because production is no longer the version the decision was made against. */
    public boolean productionMovedOn() {
        return !applied && "expected_production_version".equals(field);
    }
}
