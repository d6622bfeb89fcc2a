package dev.keel.training.client;

/** A request to move a version to {@code staging} or {@code production}, with the reason for the audit trail. */
public record StageChange(String stage, String reason) {

    public static StageChange production(String reason) {
        return new StageChange("production", reason);
    }

    public static StageChange staging(String reason) {
        return new StageChange("staging", reason);
    }
}
