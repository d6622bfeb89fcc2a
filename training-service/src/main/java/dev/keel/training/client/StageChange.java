package dev.keel.training.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request to move a version to {@code staging} or {@code production}, with the reason for the audit
 * trail. A promotion names the production version it was decided against (0 for none): the registry
 * refuses it when production has become another version since.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageChange(String stage, String reason, Integer expectedProductionVersion) {

    /** The same change without the precondition, for a registry that does not know it yet. */
    public StageChange withoutExpectation() {
        return new StageChange(stage, reason, null);
    }

    public static StageChange production(String reason, int decidedAgainst) {
        return new StageChange("production", reason, decidedAgainst);
    }

    public static StageChange staging(String reason) {
        return new StageChange("staging", reason, null);
    }
}
