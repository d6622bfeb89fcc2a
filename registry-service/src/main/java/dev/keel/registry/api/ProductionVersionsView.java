package dev.keel.registry.api;

import java.util.List;

/** Every production version the caller may see, ordered by project and model. */
public record ProductionVersionsView(List<DeploymentView> versions) {
}
