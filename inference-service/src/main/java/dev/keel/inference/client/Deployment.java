package dev.keel.inference.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.keel.common.features.FeatureSpec;
import java.util.List;

/** A production version as the registry announces it; only what serving needs is read. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Deployment(String project, String model, int version, double decisionThreshold,
                         List<FeatureSpec> featureSchema, Artifact artifact) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Artifact(String format, String sha256, long size) {
    }
}
