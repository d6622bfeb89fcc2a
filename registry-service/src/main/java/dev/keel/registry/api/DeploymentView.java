package dev.keel.registry.api;

import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.ModelMetrics;
import dev.keel.registry.domain.Stage;
import java.time.Instant;
import java.util.List;

/** What a server of a model needs to load and run a version: which bytes, which inputs, which cut-off. */
public record DeploymentView(String project, String model, int version, Stage stage, String algorithm, String objective,
                             double decisionThreshold, List<FeatureSpec> featureSchema, ModelMetrics metrics,
                             ArtifactView artifact, Instant stageChangedAt) {
}
