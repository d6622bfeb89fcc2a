package dev.keel.inference.rest;

import dev.keel.common.features.FeatureSpec;
import dev.keel.inference.serving.ServedModel;
import java.time.Instant;
import java.util.List;

/** What this replica serves for a model: which version, since when, from which bytes, taking which inputs. */
public record LoadedModelView(String project, String model, int version, String objective, int features,
                              List<String> featureNames, List<FeatureSpec> featureSchema, double decisionThreshold,
                              String artifactSha256, Instant loadedAt) {

    static LoadedModelView of(ServedModel m) {
        return new LoadedModelView(m.project(), m.name(), m.version(), m.model().objective().xgboostName(),
                m.model().numFeatures(), m.model().featureNames(), m.featureSchema(), m.decisionThreshold(), m.sha256(),
                m.loadedAt());
    }
}
