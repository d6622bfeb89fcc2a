package dev.keel.registry.api;

import java.util.List;

/** @param fromVersion the version that left production, null when none was in production */
public record RollbackView(Integer fromVersion, int toVersion, List<TransitionView> transitions) {
}
