package dev.keel.inference.serving;

import dev.keel.common.features.CategoryCodes;
import dev.keel.common.features.FeatureSpec;
import dev.keel.common.model.Objective;
import dev.keel.common.model.XgbModel;
import java.time.Instant;
import java.util.List;

/**
 * A model version loaded and verified for serving. Immutable: a request takes one reference and
 * uses it throughout, so a swap in the middle of a request can never mix two versions.
 */
public record ServedModel(
        String project,
        String name,
        int version,
        XgbModel model,
        List<FeatureSpec> featureSchema,
        CategoryCodes categories,
        double decisionThreshold,
        String sha256,
        Instant loadedAt) {

    /**
     * The decision threshold where it decides anything: a binary classifier's (its probability at
     * or above it is class 1); null for a multi-class or regression model.
     */
    public Double appliedThreshold() {
        return model.objective().task() == Objective.Task.BINARY ? decisionThreshold : null;
    }

    /** Whether its answers carry probabilities: a binary classifier's or a {@code multi:softprob} model's. */
    public boolean answersProbabilities() {
        return model.outputWidth() > 1 || model.objective().isBinaryProbability() && model.outputWidth() == 1;
    }

    /** The same loaded model under a new decision threshold: no reload needed. */
    public ServedModel withThreshold(double threshold) {
        return new ServedModel(project, name, version, model, featureSchema, categories, threshold, sha256, loadedAt);
    }
}
