package dev.keel.training.client;

import java.util.List;

/**
 * What the registry did with a stage change: applied, or refused by its own deployment gate (409)
 * with the checks that failed.
 */
public record StageOutcome(boolean applied, String detail, List<String> failedChecks) {

    public static StageOutcome done() {
        return new StageOutcome(true, null, List.of());
    }
}
